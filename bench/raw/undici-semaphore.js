#!/usr/bin/env node
// The overhead reference: undici request() through one Agent, at most --limit requests in flight
// (a semaphore: a new request starts the moment one finishes), every body drained.
//   node bench/raw/undici-semaphore.js <urls-file> [limit=100]   prints {"wallMs":…,"reqPerSec":…,…}
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { printResult, readUrls } from './read-urls.js';

const urls = readUrls(process.argv[2]);
const limit = Number(process.argv[3] ?? 100);
const agent = new Agent();
let ok = 0;
let next = 0;

// `limit` workers pulling from one shared index is the same schedule as a semaphore of `limit`.
async function worker() {
  while (next < urls.length) {
    const url = urls[next++];
    try {
      const { statusCode, body } = await request(url, { dispatcher: agent });
      for await (const _chunk of body); // drained, as async-bench does
      if (statusCode < 400) ok++;
    } catch {
      // a failed request is counted, not fatal
    }
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: Math.min(limit, urls.length) }, worker));
const wallMs = performance.now() - t0;
await agent.close();
printResult(wallMs, urls.length, ok);
