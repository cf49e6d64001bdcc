import { performance } from 'node:perf_hooks';
import type { StrategyClient, StrategySpec } from '../core/benchmark.js';
import { createRandom } from '../core/random.js';
import { createRateLimiter, type Sleep } from '../core/rate-limit.js';
import { isIdempotent, type RequestSource } from '../core/request.js';
import { RETRY_DEFAULTS, withRetries } from '../core/retry.js';
import type { RequestOutcome } from '../core/types.js';
import { ATTEMPT_HEADER } from '../fixture-server/protocol.js';
import { createHttpClient } from '../http/client.js';
import type { TransportOptions } from '../http/transport.js';

const RETRY_JITTER_SALT = 0x1b873593;

export interface ClientFactoryOptions {
  requests: RequestSource;
  headers: Record<string, string>;
  timeoutMs: number;
  maxRedirects: number;
  transport: TransportOptions;
  retries: number;
  /** Retry every method, not only the idempotent ones (--retry-all). */
  retryAll: boolean;
  ratePerSec: number | null;
  seed: number;
  signal: AbortSignal;
  sleep: Sleep;
  /** Our own fixture server is the target: retries tell it which attempt they are. */
  ownServer: boolean;
  /** How many response bodies the first run keeps for the sample line (0: none). */
  sampleSize: number;
  /** --cpu-work: every successful response keeps its body on the outcome, for the work done over it. */
  keepBodies?: boolean;
}

export interface ClientFactory {
  /** A client for one run of `spec`: over the HTTP version the spec names, when it names one. */
  createClient(spec?: StrategySpec): StrategyClient;
  /** Bodies kept by the first run, by request index. */
  readonly bodies: readonly string[];
}

/**
 * Makes each strategy run's client: a fresh connection pool, the retry policy and rate limit
 * wrapped around it, and, for the first run only, the first response bodies kept for the
 * sample line.
 */
export function clientFactory(options: ClientFactoryOptions): ClientFactory {
  const { requests, sleep, signal } = options;
  const clock = (): number => performance.now();
  const retryRandom = createRandom(options.seed ^ RETRY_JITTER_SALT);
  const bodies: string[] = [];
  const attemptHeader = (attempt = 1): Record<string, string> | undefined =>
    attempt > 1 && options.ownServer ? { [ATTEMPT_HEADER]: String(attempt) } : undefined;
  // A request that may have changed something on the server is not sent again unless asked.
  const mayRetry = options.retryAll ? undefined : (i: number): boolean => isIdempotent(requests.methodAt(i));
  let firstRun = true;

  return {
    bodies,
    createClient(spec?: StrategySpec): StrategyClient {
      const transport = spec?.protocol === undefined ? options.transport : { ...options.transport, http2: spec.protocol === 'h2' };
      const http = createHttpClient({ timeoutMs: options.timeoutMs, headers: options.headers, signal, maxRedirects: options.maxRedirects, transport });
      const keep = firstRun ? options.sampleSize : 0;
      firstRun = false;
      const keepAll = options.keepBodies === true;
      const fetchOne = keep > 0
        ? async (i: number, attempt?: number): Promise<RequestOutcome> => {
            if (i >= keep) return http.send(requests.at(i), keepAll, attemptHeader(attempt));
            const outcome = await http.send(requests.at(i), true, attemptHeader(attempt));
            if (outcome.body !== undefined && outcome.error === null) bodies[i] = outcome.body;
            if (!keepAll) delete outcome.body;
            return outcome;
          }
        : (i: number, attempt?: number): Promise<RequestOutcome> => http.send(requests.at(i), keepAll, attemptHeader(attempt));
      // A fresh limiter per run: one strategy's pace never carries over to the next.
      const rate = options.ratePerSec === null ? undefined : createRateLimiter(options.ratePerSec, clock, sleep);
      const client: StrategyClient = {
        request: options.retries > 0
          ? withRetries(fetchOne, { ...RETRY_DEFAULTS, retries: options.retries, random: retryRandom, sleep, clock, signal, ...(rate ? { rate } : {}), ...(mayRetry ? { mayRetry } : {}) })
          : fetchOne,
        close: () => http.close(),
        poolStats: () => http.poolStats(),
        transportStats: () => http.transportStats(),
      };
      if (rate) client.rate = rate;
      return client;
    },
  };
}
