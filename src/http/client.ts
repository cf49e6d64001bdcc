import { performance } from 'node:perf_hooks';
import { Agent, request as undiciRequest } from 'undici';
import type { RequestOutcome } from '../core/types.js';
import { classifyError, classifyStatus } from './classify.js';

export interface HttpClientOptions {
  /** Per-request limit over connect, headers and body, ms. */
  timeoutMs: number;
  /** Extra request headers, the same on every request. */
  headers?: Record<string, string>;
  /** Aborting it cuts off every request in flight (they fail as `aborted`). */
  signal?: AbortSignal;
}

export interface HttpClient {
  /** GETs the URL, drains and counts the body; resolves with the outcome, never rejects. */
  fetch(url: string, keepBody?: boolean, extraHeaders?: Record<string, string>): Promise<RequestOutcome>;
  /** Closes the connection pool. */
  close(): Promise<void>;
}

const USER_AGENT = 'async-bench';

/**
 * A client with its own undici connection pool (no limit on connections per origin, so that
 * the strategy, not the pool, decides how many requests are in flight).
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { timeoutMs } = options;
  const agent = new Agent({
    connections: null,
    pipelining: 1,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...options.headers };
  const inFlight = new Set<AbortController>();
  const outer = options.signal;
  const abortAll = (): void => {
    for (const controller of inFlight) controller.abort();
  };
  outer?.addEventListener('abort', abortAll, { once: true });

  async function fetchOne(url: string, keepBody = false, extraHeaders?: Record<string, string>): Promise<RequestOutcome> {
    const started = performance.now();
    let ttfbMs = Number.NaN;
    let status = 0;
    let bytes = 0;
    if (outer?.aborted) return { status, bytes, ttfbMs, error: 'aborted' };
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    inFlight.add(controller);
    try {
      const response = await undiciRequest(url, {
        dispatcher: agent,
        method: 'GET',
        headers: extraHeaders ? { ...headers, ...extraHeaders } : headers,
        signal: controller.signal,
      });
      ttfbMs = performance.now() - started;
      status = response.statusCode;
      const chunks: Buffer[] | null = keepBody ? [] : null;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        chunks?.push(chunk);
      }
      const outcome: RequestOutcome = { status, bytes, ttfbMs, error: classifyStatus(status) };
      if (chunks) outcome.body = Buffer.concat(chunks).toString('utf8');
      return outcome;
    } catch (err) {
      const error = timedOut ? 'timeout' : outer?.aborted ? 'aborted' : classifyError(err);
      return { status, bytes, ttfbMs, error };
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  }

  return {
    fetch: fetchOne,
    async close() {
      outer?.removeEventListener('abort', abortAll);
      await agent.close().catch(() => agent.destroy());
    },
  };
}
