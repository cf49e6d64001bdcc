#!/usr/bin/env node
// The fan-out reference: the least code that fetches every URL at once with undici.
// One Agent, request() for each URL, every body dumped, Promise.all over the lot.
//   node bench/raw/undici-all.js <urls-file>   prints {"wallMs":…,"requests":…,"ok":…,…}
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { printResult, readUrls } from './read-urls.js';

const urls = readUrls(process.argv[2]);
const agent = new Agent();
let ok = 0;

async function fetchOne(url) {
  try {
    const { statusCode, body } = await request(url, { dispatcher: agent });
    await body.dump({ limit: Infinity });
    if (statusCode < 400) ok++;
  } catch {
    // a failed request is counted, not fatal
  }
}

const t0 = performance.now();
await Promise.all(urls.map(fetchOne));
const wallMs = performance.now() - t0;
await agent.close();
printResult(wallMs, urls.length, ok);
