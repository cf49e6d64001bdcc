/**
 * One origin's connections when HTTP/2 is offered (--http2): the first request opens one
 * connection (the pilot) and the others wait for its TLS handshake to say, by ALPN, what the
 * server speaks. HTTP/2: every request is a stream on that one connection. HTTP/1.1: the pool
 * opens a connection per request in flight, as without --http2, the pilot being the first.
 * A pilot that cannot connect fails the requests waiting for it with its error.
 *
 * undici 7.30's own Pool with allowH2 cannot do this: a client that is still connecting counts
 * as busy, so a burst of requests opens a connection (and an HTTP/2 session) each before ALPN
 * has answered; and an HTTP/2 client sends one stream at a time unless its pipelining is raised.
 */
import type { Socket } from 'node:net';
import type { buildConnector, Dispatcher } from 'undici';
import symbols from 'undici/lib/core/symbols.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import { kClients, kGetDispatcher, kNeedDrain } from 'undici/lib/dispatcher/pool-base.js';

const kDispatch: typeof symbols.kDispatch = symbols.kDispatch;
const kDestroy: typeof symbols.kDestroy = symbols.kDestroy;
const kHTTP2Session: typeof symbols.kHTTP2Session = symbols.kHTTP2Session;

export type HttpVersion = 'h1' | 'h2';

/** Streams per connection before the server's SETTINGS arrive (undici's and Chrome's default). */
const INITIAL_STREAMS = 100;
/** The most streams sent at once on one connection, whatever the server allows (Go's client assumes 1000 of a server that sets no limit). */
const MAX_STREAMS = 1000;

type Connector = ReturnType<typeof buildConnector>;

/** The undici client as this pool handles it: its public pipelining and the pool's drain flag. */
interface PoolClient extends Dispatcher {
  pipelining: number;
  destroyed: boolean;
  closed: boolean;
  [kNeedDrain]?: boolean;
}

interface Held {
  opts: Dispatcher.DispatchOptions;
  handler: Dispatcher.DispatchHandler & { onError?(err: Error): void };
}

type PoolInternals = {
  [kClients]: PoolClient[];
  [kGetDispatcher](): PoolClient | undefined;
  [kDispatch](opts: Dispatcher.DispatchOptions, handler: Held['handler']): boolean;
  [kDestroy](err: Error): Promise<unknown>;
};

/** The Pool's symbol-keyed internals, reached past its public type. */
const internals = (pool: object): PoolInternals => pool as unknown as PoolInternals;
/** Pool's own methods, which these override and call. */
const poolMethods = Pool.prototype as unknown as PoolInternals;

export class NegotiatingPool extends Pool {
  /** What the pilot's handshake chose; null until it has answered. */
  private version: HttpVersion | null = null;
  private pilot: PoolClient | null = null;
  /** Requests that arrived while the pilot was connecting. */
  private held: Held[] = [];

  constructor(
    origin: string,
    options: Record<string, unknown> & { connect: Connector },
    private readonly learned: (version: HttpVersion) => void,
  ) {
    const inner = options.connect;
    // Set once the pool exists; connections are only made after that.
    const hook: { connected?: (err: Error | null, socket: Socket | null) => (() => void) | undefined } = {};
    const connect: Connector = (connectOptions, callback) =>
      inner(connectOptions, (err, socket) => {
        // Learnt before undici sets the connection up and writes the pilot's request on it.
        const next = hook.connected?.(err, socket as Socket | null);
        // undici's callback type is a union of (err, null) and (null, socket); this passes either through.
        callback(err as never, socket as never);
        next?.();
      });
    super(origin, { ...options, connect } as ConstructorParameters<typeof Pool>[1]);
    hook.connected = (err, socket) => this.onConnected(err, socket);
  }

  /**
   * A connection attempt's outcome, before undici sees it: the version the pilot's handshake
   * chose. Returns what to do once undici has dealt with it: send the waiting requests; or,
   * when the connection failed, fail them with its error, as undici fails every request queued
   * on a client whose connection failed (the Agent closes this pool then).
   */
  private onConnected(err: Error | null, socket: Socket | null): (() => void) | undefined {
    const alpn = (socket as (Socket & { alpnProtocol?: string | false }) | null)?.alpnProtocol;
    if (this.version !== null) {
      // The HTTP/2 pilot reconnecting to a server that now speaks HTTP/1.1: one request at a time on it.
      if (this.version === 'h2' && socket && alpn !== 'h2' && this.pilot) {
        this.pilot.pipelining = 1;
        this.version = 'h1';
        this.learned('h1');
      }
      return undefined;
    }
    if (err || !socket) {
      this.pilot = null;
      const held = this.held;
      this.held = [];
      const error = err ?? new Error('no connection');
      return () => {
        for (const { handler } of held) handler.onError?.(error);
      };
    }
    this.version = alpn === 'h2' ? 'h2' : 'h1';
    this.learned(this.version);
    const pilot = this.pilot;
    if (this.version === 'h2' && pilot) pilot.pipelining = INITIAL_STREAMS;
    const held = this.held;
    this.held = [];
    return () => {
      if (this.version === 'h2' && pilot) {
        // As many streams at once as the server's SETTINGS allow, up to MAX_STREAMS.
        const session = (socket as Socket & { [kHTTP2Session]?: NodeJS.EventEmitter })[kHTTP2Session];
        session?.on('remoteSettings', (settings: { maxConcurrentStreams?: number }) => {
          pilot.pipelining = Math.max(1, Math.min(settings.maxConcurrentStreams ?? INITIAL_STREAMS, MAX_STREAMS));
        });
      }
      for (const request of held) this.dispatchNow(request);
    };
  }

  private dispatchNow({ opts, handler }: Held): void {
    try {
      internals(this)[kDispatch](opts, handler);
    } catch (err) {
      handler.onError?.(err as Error);
    }
  }

  [kGetDispatcher](): PoolClient | undefined {
    const pool = internals(this);
    if (this.version === 'h1') return poolMethods[kGetDispatcher].call(this);
    const pilot = this.pilot;
    if (pilot === null || pilot.destroyed || pilot.closed || !pool[kClients].includes(pilot)) {
      // The first request, or the connection is gone: a new pilot learns the version afresh.
      this.version = null;
      this.pilot = poolMethods[kGetDispatcher].call(this) ?? null;
      return this.pilot ?? undefined;
    }
    return pilot[kNeedDrain] ? undefined : pilot;
  }

  [kDispatch](opts: Dispatcher.DispatchOptions, handler: Held['handler']): boolean {
    if (this.version === null && this.pilot !== null && !this.pilot.destroyed) {
      this.held.push({ opts, handler });
      return true;
    }
    return poolMethods[kDispatch].call(this, opts, handler);
  }

  [kDestroy](err: Error): Promise<unknown> {
    const held = this.held;
    this.held = [];
    for (const { handler } of held) handler.onError?.(err);
    return poolMethods[kDestroy].call(this, err);
  }
}
