// undici's package entry also loads fetch, WebSocket, cookies and caches (~80 ms of every CLI start); the
// registry client needs only the connection pool and request(), so it takes those two modules alone and, like
// the entry does, gives every dispatcher the request API. Tests exercise this path against real registries.
import type {
  Agent as UndiciAgent,
  EnvHttpProxyAgent as UndiciEnvHttpProxyAgent,
  buildConnector as UndiciBuildConnector,
} from 'undici';

const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js') as object);

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;

export const EnvHttpProxyAgent =
  require('undici/lib/dispatcher/env-http-proxy-agent.js') as typeof UndiciEnvHttpProxyAgent;

export const buildConnector = require('undici/lib/core/connect.js') as typeof UndiciBuildConnector;
