// Requests from the webview to the extension, typed end to end by `GraphRequests`: the webview calls
// `request(kind, params)` and gets that kind's result; the extension answers from a table with one handler per
// kind. The id bookkeeping and the one unavoidable widening of a generic kind live here, not at the call sites.
import type {
  GraphRequest,
  RequestKind,
  RequestMessage,
  RequestParams,
  RequestResult,
  ResponseMessage,
} from './messages';

/** The extension's side: a handler for every request kind, given that kind's params. */
export type RequestHandlers = { [K in RequestKind]: (params: RequestParams<K>) => Promise<RequestResult<K>> };

/** Runs the handler for the message's kind and turns its result, or its failure in words, into the response. */
export async function respond(
  handlers: RequestHandlers,
  message: RequestMessage,
  describeError: (error: unknown) => string,
): Promise<ResponseMessage> {
  try {
    return { type: 'response', id: message.id, result: await answer(handlers, message.request) };
  } catch (error) {
    return { type: 'response', id: message.id, error: describeError(error) };
  }
}

function answer<K extends RequestKind>(handlers: RequestHandlers, request: GraphRequest<K>): Promise<RequestResult<K>> {
  // TypeScript does not correlate `handlers[kind]` with the params of the same K; the map guarantees it.
  const handler = handlers[request.kind as K] as (params: RequestParams<K>) => Promise<RequestResult<K>>;
  return handler(request as RequestParams<K>);
}

interface Pending {
  resolve: (result: RequestResult<RequestKind>) => void;
  reject: (error: Error) => void;
}

/** The webview's side: numbers each request and settles it with the response that echoes its id. */
export class RequestClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (message: RequestMessage) => void) {}

  request<K extends RequestKind>(kind: K, params: RequestParams<K>): Promise<RequestResult<K>> {
    const id = this.nextId++;
    return new Promise<RequestResult<K>>((resolve, reject) => {
      // The response to this id answers this kind (the extension's table is typed by the same map).
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      this.post({ type: 'request', id, request: { kind, ...params } as GraphRequest });
    });
  }

  /** Settles the request the response names; a response to no pending request is ignored. */
  settle(message: ResponseMessage): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if ('error' in message) waiting.reject(new Error(message.error));
    else waiting.resolve(message.result);
  }
}
