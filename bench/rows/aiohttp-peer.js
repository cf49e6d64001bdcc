// Row 7 (optional): `all` over 1,000 URLs against Python aiohttp's gather on the same server.
// Only when a python3 can import aiohttp (Debian's python3-aiohttp installs it for
// /usr/bin/python3, which may not be the python3 first on PATH); nothing is installed here.
import { spawnSync } from 'node:child_process';
import { AIOHTTP_GATHER_PY } from '../raw/aiohttp-gather.js';
import { alternate, resultOf, runAsyncBench } from '../lib/measure.js';
import { makeRow, skippedRow } from '../lib/row.js';
import { run as runProcess, withServer, writeUrlFile } from '../lib/proc.js';

export const id = 'aiohttp-peer';
export const title = '`all` against Python aiohttp gather (optional)';

const PYTHONS = ['python3', '/usr/bin/python3'];

/** The first python3 that imports aiohttp, with the versions, or null. */
function findAiohttp() {
  for (const python of PYTHONS) {
    const r = spawnSync(python, ['-c', 'import aiohttp, sys; print(aiohttp.__version__, sys.version.split()[0])'], { encoding: 'utf8', timeout: 20_000 });
    if (r.status === 0) return { python, versions: r.stdout.trim() };
  }
  return null;
}

async function runAiohttp(ctx, python, file) {
  const r = await runProcess(python, ['-c', AIOHTTP_GATHER_PY, file], { timeoutMs: ctx.childTimeoutMs });
  if (r.code !== 0) throw new Error(`python3 aiohttp gather: exit code ${r.code}\n${r.stderr.trim().slice(-2000)}`);
  return JSON.parse(r.stdout);
}

export async function run(ctx) {
  const count = ctx.quick ? 200 : 1000;
  const delayMs = ctx.quick ? 10 : 20;
  const measurement = `${id} ${count} URLs all`;
  const found = findAiohttp();
  if (found === null) return [skippedRow(id, measurement, 'skipped (python3-aiohttp not installed)')];
  const [abs, refs] = await withServer({ delayMs }, async (server) => {
    const file = writeUrlFile(ctx.tmpDir, server, count);
    return alternate(
      ctx,
      id,
      async () => resultOf((await runAsyncBench(ctx, ['--file', file, '-s', 'all'])).report, 'all'),
      async () => runAiohttp(ctx, found.python, file),
    );
  });
  return [
    makeRow({
      id,
      measurement,
      unit: 'ms',
      asyncBench: abs.map((r) => r.wallMs),
      reference: { label: 'aiohttp gather', repeats: refs.map((r) => r.wallMs) },
      ratio: { definition: 'async-bench wall / aiohttp wall', of: (ab, ref) => ab / ref },
      target: { text: '<= 1.00', spec: { ratioMax: 1 }, check: ({ ratio }) => ratio <= 1 },
      failedRequests: [...abs, ...refs].reduce((s, r) => s + r.failed, 0),
      details: { urls: count, serverDelayMs: delayMs, aiohttpAndPython: found.versions },
    }),
  ];
}
