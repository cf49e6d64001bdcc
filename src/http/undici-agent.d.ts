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
