/**
 * undici's Agent on its own. The package has no exports map, and its index loads fetch,
 * WebSocket, caching and more that the benchmark never uses: importing the Agent alone saves
 * about 9 MB of memory and 35 ms of start-up. Its type is the public one.
 */
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';

  const AgentClass: typeof Agent;
  export default AgentClass;
}

/** undici's socket connector, to count the sockets that carry requests (see client.ts). */
declare module 'undici/lib/core/connect.js' {
  import type { buildConnector as build } from 'undici';

  const buildConnector: typeof build;
  export default buildConnector;
}

/** undici's Pool, built by our factory so that every pool's connector is counted (transport.ts). */
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';

  const PoolClass: typeof Pool;
  export default PoolClass;
}

/** The Pool's internals that NegotiatingPool overrides (negotiate.ts). */
declare module 'undici/lib/dispatcher/pool-base.js' {
  export const kClients: unique symbol;
  export const kGetDispatcher: unique symbol;
  export const kNeedDrain: unique symbol;
}

/**
 * undici's shared symbols: the dispatch and destroy hooks, and the HTTP/2 session on a socket. At
 * run time the module has its default export alone; the named ones only give the types.
 */
declare module 'undici/lib/core/symbols.js' {
  export const kDispatch: unique symbol;
  export const kDestroy: unique symbol;
  export const kHTTP2Session: unique symbol;
  const symbols: { readonly kDispatch: typeof kDispatch; readonly kDestroy: typeof kDestroy; readonly kHTTP2Session: typeof kHTTP2Session };
  export default symbols;
}
