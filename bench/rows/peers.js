// Rows: async-bench against other load generators on the same server: autocannon (a dev
// dependency), and hey and wrk where installed. The server runs on one CPU and each client on
// another (bench/lib/pin.js); the tools take turns within a round, each round starting with the
// next tool, and every figure is the median over the rounds.
//   - CPU per request at 0 ms, 20,000 and 100,000 requests, 100 in flight (whole process, start-up
//     included): the client's own cost.
//   - req/s and peak RSS at 100,000.
//   - p50 latency over a server that waits 50 ms, 50 in flight: what the client adds to a request.
// async-bench runs `-s bounded -c C` over a file of distinct URLs; the peers repeat one URL.
// Targets (on async-bench against autocannon, or absolute) are those of issue 17.
import { asyncBench, peers } from '../lib/peers.js';
import { pinning } from '../lib/pin.js';
import { withServer, writeUrlFile } from '../lib/proc.js';
import { makeRow, skippedRow } from '../lib/row.js';

export const id = 'peers';
export const title = 'async-bench against autocannon, hey and wrk: CPU per request, req/s, peak RSS, p50 overhead';

const CONCURRENCY = 100;
const SLOW_CONCURRENCY = 50;
const SLOW_DELAY_MS = 50;
const MAX_P50_OVERHEAD_MS = 1.5;
const RATIO = 'async-bench / the peer, each figure its median over interleaved rounds (p50: the overheads over the server delay)';

/** Runs every tool once per round, the first tool of round r being tools[r % n]; returns results by tool name. */
async function interleave(ctx, label, tools, job, prefix) {
  const results = Object.fromEntries(tools.map((t) => [t.name, []]));
  for (let round = 0; round < ctx.repeats; round++) {
    ctx.log(`${id} ${label}: round ${round + 1}/${ctx.repeats}`);
    for (let k = 0; k < tools.length; k++) {
      const tool = tools[(round + k) % tools.length];
      results[tool.name].push(await tool.run(ctx, job, prefix));
    }
  }
  return results;
}

/** One group of runs against one server: { results, job }. */
async function group(ctx, label, tools, { delayMs, count, concurrency, durationS }) {
  const pin = pinning();
  return withServer({ delayMs, prefix: pin.server }, async (server) => {
    const job = { url: `${server.baseUrl}/item/0`, urlFile: writeUrlFile(ctx.tmpDir, server, count), count, concurrency, durationS };
    return { job, results: await interleave(ctx, label, tools, job, pin.client) };
  });
}

export async function run(ctx) {
  const rounds = ctx.repeats;
  const all = peers();
  const available = all.filter((p) => p.available);
  const tools = [asyncBench, ...available];
  const sizes = ctx.quick ? { small: 2000, large: 5000, slow: 200, durationS: 1 } : { small: 20_000, large: 100_000, slow: 1000, durationS: 3 };

  const small = await group(ctx, `0 ms ${sizes.small}`, tools, { delayMs: 0, count: sizes.small, concurrency: CONCURRENCY, durationS: sizes.durationS });
  const large = await group(ctx, `0 ms ${sizes.large}`, tools, { delayMs: 0, count: sizes.large, concurrency: CONCURRENCY, durationS: sizes.durationS * 2 });
  const slow = await group(ctx, `${SLOW_DELAY_MS} ms -c ${SLOW_CONCURRENCY}`, tools, { delayMs: SLOW_DELAY_MS, count: sizes.slow, concurrency: SLOW_CONCURRENCY, durationS: sizes.durationS });

  // CPU per request is over the requests a run made: wrk runs for a time, the others a count.
  const cpuPerRequest = (rs) => rs.map((r) => (r.cpuMs === null ? null : (r.cpuMs * 1000) / r.requests));
  const failedOf = (g, names) => names.reduce((s, n) => s + g.results[n].reduce((t, r) => t + r.failed, 0), 0);
  const measures = [
    {
      key: `CPU/request 0 ms, ${sizes.small} req -c ${CONCURRENCY}`,
      g: small,
      unit: 'µs',
      value: cpuPerRequest,
      target: { text: '<= 1.00x', spec: { ratioMax: 1 }, check: ({ ratio }) => ratio <= 1 },
    },
    {
      key: `CPU/request 0 ms, ${sizes.large} req -c ${CONCURRENCY}`,
      g: large,
      unit: 'µs',
      value: cpuPerRequest,
      target: { text: '<= 1.00x', spec: { ratioMax: 1 }, check: ({ ratio }) => ratio <= 1 },
    },
    {
      key: `req/s 0 ms, ${sizes.large} req -c ${CONCURRENCY}`,
      g: large,
      unit: 'req/s',
      value: (rs) => rs.map((r) => r.reqPerSec),
      target: { text: '>= 1.00x', spec: { ratioMin: 1 }, check: ({ ratio }) => ratio >= 1 },
    },
    {
      key: `peak RSS 0 ms, ${sizes.large} req -c ${CONCURRENCY}`,
      g: large,
      unit: 'MB',
      value: (rs) => rs.map((r) => r.peakRssMB),
      target: { text: '<= 1.00x', spec: { ratioMax: 1 }, check: ({ ratio }) => ratio <= 1 },
    },
    {
      key: `p50 over a ${SLOW_DELAY_MS} ms server, ${sizes.slow} req -c ${SLOW_CONCURRENCY}`,
      g: slow,
      unit: 'ms',
      value: (rs) => rs.map((r) => r.p50Ms - SLOW_DELAY_MS),
      target: { text: `<= ${MAX_P50_OVERHEAD_MS} ms`, spec: { maxMs: MAX_P50_OVERHEAD_MS }, check: ({ ab }) => ab <= MAX_P50_OVERHEAD_MS },
    },
  ];

  const pin = pinning();
  const rows = [];
  for (const m of measures) {
    for (const peer of available) {
      const isTargetPeer = peer.name === 'autocannon';
      const notes = [];
      if (rows.length === 0) notes.push(`medians of ${rounds} interleaved round(s); ${pin.note}; peers: ${available.map((p) => `${p.name} ${p.version}`).join(', ')}`);
      if (peer.byDuration && rows.every((r) => !r.notes.some((n) => n.startsWith(peer.name)))) {
        notes.push(`${peer.name} runs for a time (${sizes.durationS} s, ${sizes.durationS * 2} s at ${sizes.large}), not a count: its figures are over the requests it made`);
      }
      rows.push(
        makeRow({
          id,
          measurement: `${id} ${m.key} vs ${peer.name}`,
          unit: m.unit,
          asyncBench: m.value(m.g.results['async-bench']),
          reference: { label: `${peer.name}, ${rounds} round(s)`, repeats: m.value(m.g.results[peer.name]) },
          ratio: { definition: RATIO, of: (ab, ref) => ab / ref },
          // The targets are against autocannon (or absolute); the other peers are shown for scale.
          target: isTargetPeer ? m.target : { text: '(info)' },
          failedRequests: failedOf(m.g, ['async-bench', peer.name]),
          notes,
          details: { peer: peer.name, peerVersion: peer.version, rounds, pinning: pin.note, job: { ...m.g.job, url: undefined, urlFile: undefined }, raw: { asyncBench: m.g.results['async-bench'], [peer.name]: m.g.results[peer.name] } },
        }),
      );
    }
  }
  for (const peer of all.filter((p) => !p.available)) rows.push(skippedRow(id, `${id} ${peer.name}`, `skipped (${peer.why})`));
  return rows;
}
