// Requests to the extension with ids, resolved by the response that echoes the id.
import type { GraphRequest, GraphResponse, ResponseMessage, WebviewToExtension } from '../../src/protocol/messages';

export interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
}

export class Rpc {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: GraphResponse | undefined) => void; reject: (e: Error) => void }
  >();

  constructor(private readonly api: VsCodeApi) {}

  request(request: GraphRequest): Promise<GraphResponse | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.api.postMessage({ type: 'request', id, request });
    });
  }

  settle(message: ResponseMessage): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(message.error));
    else waiting.resolve(message.result);
  }
}
