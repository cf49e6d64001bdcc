import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadFixtureData, type FixtureData } from './data.js';
import { delayFor, type LatencyModel } from './latency.js';
import { jsonplaceholderRoute } from './routes/jsonplaceholder.js';
import { pokeapiRoute } from './routes/pokeapi.js';
import { json, notFound, type FixtureRequest, type FixtureResponse, type Route } from './routes/types.js';

export interface FixtureServerOptions {
  latency: LatencyModel;
  seed: number;
}

export interface ListenOptions extends FixtureServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface RunningFixtureServer {
  server: Server;
  /** "http://127.0.0.1:PORT" */
  baseUrl: string;
  close(): Promise<void>;
}

/** The fixture server binds loopback only: it is never reachable from another machine. */
export const FIXTURE_HOST = '127.0.0.1';

function createRoutes(data: FixtureData): Route[] {
  return [pokeapiRoute(data.pokemonNames), jsonplaceholderRoute(data.jsonplaceholder)];
}

/** Answers one request from the routes, or the index at "/", or 404. */
export function answer(routes: readonly Route[], request: FixtureRequest): FixtureResponse {
  for (const route of routes) {
    const response = route(request);
    if (response) return response;
  }
  if (request.path === '/') {
    return json({ name: 'async-bench fixture server', routes: ['/api/v2/pokemon/{id}', '/posts/{id}', '/users/{id}', '/todos/{id}', '/comments/{id}'] });
  }
  return notFound();
}

/** The request handler: route, wait the modelled delay, then send the whole body. */
export function createFixtureHandler(
  options: FixtureServerOptions,
  data: FixtureData = loadFixtureData(),
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = createRoutes(data);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture.invalid');
    const origin = `http://${req.headers.host ?? FIXTURE_HOST}`;
    const response = req.method === 'GET' || req.method === 'HEAD'
      ? answer(routes, { path: url.pathname, query: url.searchParams, origin, headers: req.headers })
      : { status: 405, body: 'Method Not Allowed' };
    const send = (): void => {
      if (res.destroyed) return;
      res.writeHead(response.status, { 'content-length': Buffer.byteLength(response.body), ...response.headers });
      res.end(req.method === 'HEAD' ? undefined : response.body);
    };
    const delay = delayFor(options.latency, options.seed, url.pathname + url.search);
    if (delay > 0) setTimeout(send, delay);
    else send();
  };
}

/** Starts the fixture server on 127.0.0.1 in this thread. */
export function listenFixtureServer(options: ListenOptions, data?: FixtureData): Promise<RunningFixtureServer> {
  const server = createServer({ keepAliveTimeout: 10_000 }, createFixtureHandler(options, data));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog: `all` opens every connection at once, and a full queue costs a 1 s SYN retry.
    server.listen({ host: FIXTURE_HOST, port: options.port ?? 0, backlog: 4096 }, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        baseUrl: `http://${FIXTURE_HOST}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
