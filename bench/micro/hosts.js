#!/usr/bin/env node
// describeHosts over the 100,000 URLs of a one-host URL file, read as the CLI reads it (the
// heading's "live 127.0.0.1:8080"), in the build at <root>. Medians of 9 rounds in one process.
//   node bench/micro/hosts.js <root>      prints {"describeHostsMs":…,"readUrlFileMs":…}
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const COUNT = 100_000;
const root = resolve(process.argv[2] ?? '.');
const load = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
const { readUrlFile } = await load('targets/url-list.js');
const { describeHosts } = await load('run/workload.js');

const dir = mkdtempSync(join(tmpdir(), 'micro-hosts-'));
const file = join(dir, 'urls.txt');
writeFileSync(file, Array.from({ length: COUNT }, (_, i) => `http://127.0.0.1:8080/item/${i}`).join('\n') + '\n');
const rounds = { describeHostsMs: [], readUrlFileMs: [] };
for (let k = 0; k < 9; k++) {
  const t0 = performance.now();
  const urls = await readUrlFile(file);
  const t1 = performance.now();
  const hosts = describeHosts(urls);
  rounds.describeHostsMs.push(performance.now() - t1);
  rounds.readUrlFileMs.push(t1 - t0);
  if (hosts !== '127.0.0.1:8080') throw new Error(`hosts: ${hosts}`);
}
rmSync(dir, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, median(v)]))) + '\n');
