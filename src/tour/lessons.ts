/**
 * The tour's lessons as data: what each one says, the runs that measure it (a run's arguments,
 * as typed after `async-bench`; public options only) and the line to take away, computed from
 * the measured Reports. Pure: no I/O here, so every takeaway is tested on hand-made Reports.
 */
import type { Report, StrategyResult } from '../core/report.js';
import { maxOf, minOf } from '../core/stats.js';
import { formatBytes, formatMs, formatSeconds, resultLabel } from '../export/format.js';
import { compareWall } from '../export/prose.js';

export interface Lesson {
  /** For --only and --list. */
  name: string;
  title: string;
  /** What the study note says, in a few sentences. */
  paragraph: string;
  /** Each run's arguments; most lessons make one run, a comparison of run options makes two. */
  runs: ReadonlyArray<readonly string[]>;
  /** One line of what to take away, from the runs' Reports (in the order of `runs`). */
  takeaway(reports: readonly Report[]): string;
}

const find = (report: Report | undefined, strategy: StrategyResult['strategy'], concurrency?: number): StrategyResult | undefined =>
  report?.results.find((r) => r.strategy === strategy && (concurrency === undefined || r.concurrency === concurrency) && r.protocol === undefined);

const complete = (r: StrategyResult | undefined): r is StrategyResult => r !== undefined && !r.partial && r.ok > 0;

/** What a takeaway says when the run that would tell was cut off or failed throughout. */
export const NO_TAKEAWAY = 'no takeaway: a run this lesson needs did not finish with a response';

const s = formatSeconds;

function twoTasks([report]: readonly Report[]): string {
  const seq = find(report, 'sequential');
  const all = find(report, 'all');
  if (!complete(seq) || !complete(all)) return NO_TAKEAWAY;
  const c = compareWall(all, seq, 'one after another');
  if (c.relation === 'faster') return `together ${c.text}: the two waits overlap, so two tasks take as long as one`;
  if (c.relation === 'more-failures') return `together ${c.text}: it failed more, so it is not faster, whatever its time`;
  return `together ${c.text}: the waits did not overlap here`;
}

function pokemon([report]: readonly Report[]): string {
  const seq = find(report, 'sequential');
  const all = find(report, 'all');
  if (!complete(seq) || !complete(all)) return NO_TAKEAWAY;
  const c = compareWall(all, seq);
  if (c.relation === 'faster') return `all ${c.text}: ${all.requests} waits overlap, so the run takes about its slowest request (${formatMs(all.latencyMs.max)}), not their sum`;
  if (c.relation === 'more-failures') return `all ${c.text}: it failed more, so it is not faster, whatever its time`;
  return `all ${c.text}: the waits did not overlap here`;
}

function semaphore([report]: readonly Report[]): string {
  const seq = find(report, 'sequential');
  const bounded = report?.results.find((r) => r.strategy === 'bounded');
  if (!complete(seq) || !complete(bounded)) return NO_TAKEAWAY;
  const c = compareWall(bounded, seq);
  const peak = `never more than ${bounded.concurrency} in flight (peak ${bounded.maxInFlight})`;
  if (c.relation === 'faster') return `${resultLabel(bounded)} ${c.text}, ${peak}: a semaphore keeps most of the gain and caps the load`;
  if (c.relation === 'more-failures') return `${resultLabel(bounded)} ${c.text}: it failed more, so it is not faster, whatever its time`;
  return `${resultLabel(bounded)} ${c.text}, ${peak}`;
}

function tmdb([report]: readonly Report[]): string {
  const seq = find(report, 'sequential');
  const all = find(report, 'all');
  const list = report?.setup;
  if (!complete(seq) || !complete(all) || list === undefined) return NO_TAKEAWAY;
  const first = `the list came first (${list.requests} request${list.requests === 1 ? '' : 's'}, ${list.items} movies in ${s(list.wallMs)}), since the details need its ids`;
  const c = compareWall(all, seq);
  if (c.relation === 'more-failures') return `${first}; then all fetched the ${all.requests} details ${c.text}: it failed more, so it is not faster, whatever its time`;
  return `${first}; then all fetched the ${all.requests} details ${c.text}`;
}

function awaitLoop([report]: readonly Report[]): string {
  const seq = find(report, 'sequential');
  const all = find(report, 'all');
  if (!complete(seq) || !complete(all)) return NO_TAKEAWAY;
  const sum = seq.requests * seq.latencyMs.mean;
  return `await in a loop took ${s(seq.wallMs)}, about ${seq.requests} × its ${formatMs(seq.latencyMs.mean)} mean (${s(sum)}): each request waited for the one before; all took ${s(all.wallMs)}`;
}

function eager([report]: readonly Report[]): string {
  const all = find(report, 'all');
  if (!complete(all)) return NO_TAKEAWAY;
  const samples = all.samples ?? [];
  const ends = samples.map((x) => x.endMs).filter((e): e is number => e !== null);
  if (samples.length === 0 || ends.length === 0) return 'no takeaway: the run kept no per-request samples (--details)';
  const starts = samples.map((x) => x.startMs);
  const spread = maxOf(starts) - minOf(starts);
  const firstAnswer = minOf(ends);
  if (spread < firstAnswer) {
    return `all sent its ${samples.length} requests within ${formatMs(spread)}, before the first answer at ${formatMs(firstAnswer)}: a promise runs from the moment it is made; a Python coroutine waits for an await or a task`;
  }
  return `all's ${samples.length} requests started over ${formatMs(spread)}, after the first answer at ${formatMs(firstAnswer)}: the event loop was too busy to send them at once`;
}

function session([kept, fresh]: readonly Report[]): string {
  const a = find(kept, 'sequential');
  const b = find(fresh, 'sequential');
  if (!complete(a) || !complete(b)) return NO_TAKEAWAY;
  const sockets = a.pool === null || b.pool === null ? '' : `, ${a.pool.opened} socket${a.pool.opened === 1 ? '' : 's'} against ${b.pool.opened}`;
  const c = compareWall(a, b, 'a new connection each time');
  if (c.relation === 'faster') return `one session is ${c.text}${sockets}: each new connection costs a handshake; over TLS to a real API, a round trip or more`;
  if (c.relation === 'more-failures') return `one session is ${c.text}: it failed more, so it is not faster, whatever its time`;
  return `one session is ${c.text}${sockets}: on loopback a connection costs little; over TLS to a real API it costs a round trip or more`;
}

function blocking([report]: readonly Report[]): string {
  const all = find(report, 'all');
  if (!complete(all)) return NO_TAKEAWAY;
  const work = all.cpuWork;
  if (work === undefined) return 'no takeaway: the run did no CPU work (--cpu-work)';
  const floor = work.responses * work.perResponseMs;
  const loop = all.eventLoopDelayP99Ms === null ? '' : ` (the loop's delay p99 ${formatMs(all.eventLoopDelayP99Ms)})`;
  return `all took ${s(all.wallMs)}: ${work.responses} × ${formatMs(work.perResponseMs)} of CPU (${s(floor)}) ran one callback at a time on the one event loop${loop}; concurrency overlaps the waits, not the work`;
}

function threads([report]: readonly Report[]): string {
  const all = find(report, 'all');
  const workers = report?.results.find((r) => r.strategy === 'workers');
  if (!complete(all) || !complete(workers)) return NO_TAKEAWAY;
  const n = workers.workers ?? null;
  const name = n === null ? 'workers' : `workers (${n} threads)`;
  const c = compareWall(workers, all, 'all');
  if (c.relation === 'faster') return `${name} ${c.text}: the CPU work ran on ${n ?? 'several'} threads at once, while all did it on its one event loop`;
  if (c.relation === 'more-failures') return `${name} ${c.text}: it failed more, so it is not faster, whatever its time`;
  return `${name} ${c.text}: threads pay off when CPU work, not waiting, is what the run is made of (and when cores are free)`;
}

function failFast([report]: readonly Report[]): string {
  const all = find(report, 'all');
  const f = all?.failFast;
  if (all === undefined || all.partial || f === undefined) return NO_TAKEAWAY;
  if (f.rejectedAtMs === null) return 'nothing failed this time, so Promise.all resolved as allSettled would: raise --error-rate or change --seed to see it reject';
  const { ok, lastEndMs } = f.survivors;
  const until = lastEndMs === null ? '' : ` until ${s(lastEndMs)}`;
  return `Promise.all rejected at ${s(f.rejectedAtMs)}, yet its ${f.stillRunning} other request${f.stillRunning === 1 ? '' : 's'} kept running${until} (${ok} ok): rejecting stops the waiting, not the requests; allSettled (or gather(return_exceptions=True)) keeps every result`;
}

function batched([report]: readonly Report[]): string {
  const batch = report?.results.find((r) => r.strategy === 'batched');
  const bounded = batch === undefined ? undefined : find(report, 'bounded', batch.concurrency ?? undefined);
  if (!complete(batch) || !complete(bounded)) return NO_TAKEAWAY;
  const c = compareWall(batch, bounded);
  const ideal = batch.idealWallMs !== null && bounded.idealWallMs !== null ? `; ideal ${s(batch.idealWallMs)} vs ${s(bounded.idealWallMs)} from their own request times` : '';
  if (c.relation === 'slower') return `${resultLabel(batch)} ${c.text}${ideal}: each batch waits for its slowest request, while a semaphore starts the next request at once`;
  if (c.relation === 'more-failures') return `${resultLabel(batch)} ${c.text}: it failed more, so it is not faster, whatever its time`;
  return `${resultLabel(batch)} ${c.text}${ideal}: requests this even leave a batch little to wait for`;
}

function tooMany([report]: readonly Report[]): string {
  const all = find(report, 'all');
  const adaptive = report?.results.find((r) => r.strategy === 'adaptive');
  const limit = report?.config.faults?.maxInflight ?? null;
  if (all === undefined || all.partial || !complete(adaptive) || adaptive.adaptive === undefined) return NO_TAKEAWAY;
  const server = limit === null ? 'the server' : `a server that takes ${limit} at once`;
  return `all failed ${all.failed} of ${all.requests} against ${server}; adaptive backed off and settled at ${adaptive.adaptive.settledLimit}, with ${adaptive.failed} failed: a limiter finds what the server tolerates from its refusals`;
}

function oneRequest([many, one]: readonly Report[]): string {
  const all = find(many, 'all');
  const list = find(one, 'sequential');
  if (!complete(all) || !complete(list)) return NO_TAKEAWAY;
  const c = compareWall(list, all, `${all.requests} requests at once`);
  const unpacked = list.decodedBytes !== list.bytes ? ` (${formatBytes(list.decodedBytes)} unpacked)` : '';
  const sizes = `, ${formatBytes(list.bytes)}${unpacked} against ${formatBytes(all.bytes)} over the wire`;
  if (c.relation === 'faster') return `one request for the list is ${c.text}${sizes}: the fastest request is the one not made`;
  if (c.relation === 'more-failures') return `one request for the list is ${c.text}: it failed more, so it is not faster, whatever its time`;
  return `one request for the list is ${c.text}${sizes}: on loopback a request costs little; over a real network each one pays its own round trip`;
}

function capacity([report]: readonly Report[]): string {
  const cap = report?.config.faults?.capacity ?? null;
  const bounded = (report?.results ?? []).filter((r) => r.strategy === 'bounded' && complete(r));
  const at = bounded.find((r) => r.concurrency === cap);
  const above = bounded.find((r) => cap !== null && (r.concurrency ?? 0) > cap);
  const below = bounded.find((r) => cap !== null && (r.concurrency ?? Infinity) < cap);
  if (cap === null || at === undefined || above === undefined) return NO_TAKEAWAY;
  const c = compareWall(above, at, `C=${cap}`);
  const lower = below === undefined ? '' : `; C=${below.concurrency} took ${s(below.wallMs)}`;
  const gist = c.relation === 'slower' || c.relation === 'same' ? `past ${cap}, more in flight only waits in its queue (p50 ${formatMs(above.latencyMs.p50)} against ${formatMs(at.latencyMs.p50)})` : `this time more in flight still helped`;
  if (c.relation === 'more-failures') return `C=${above.concurrency} is ${c.text}: it failed more, so it is not faster, whatever its time`;
  return `C=${above.concurrency} is ${c.text}${lower}: the server serves ${cap} at once, like a pool of ${cap} threads; ${gist}`;
}

/** Every lesson, in the tour's order; seeds fixed, so a lesson's command reproduces its workload. */
export const LESSONS: readonly Lesson[] = [
  {
    name: 'two-tasks',
    title: 'Two tasks of 2 s',
    paragraph:
      'Two requests that each take 2 s. Awaited one after another they take 4 s; started together and awaited with Promise.all they take 2 s, because the program spends that time waiting, and waits can overlap.',
    runs: [['pokemon', '--offline', '--latency', '2000', '-n', '2', '-s', 'sequential,all', '--seed', '1']],
    takeaway: twoTasks,
  },
  {
    name: 'pokemon',
    title: 'Ten Pokémon, about 6x',
    paragraph:
      "Ten Pokémon from PokeAPI, each answered in 100 to 400 ms. Sequential pays every delay in turn; Promise.all sends all ten at once, so the run takes about as long as the slowest answer.",
    runs: [['pokemon', '--offline', '-n', '10', '-s', 'sequential,all', '--seed', '1']],
    takeaway: pokemon,
  },
  {
    name: 'semaphore',
    title: 'Semaphore(5) over 20 posts',
    paragraph:
      'A semaphore of 5 lets at most five requests be in flight; the next starts as soon as one finishes. It keeps most of the speed of "all at once" and never puts more than five on the server.',
    runs: [['jsonplaceholder', '--offline', '-n', '20', '-s', 'sequential,bounded', '-c', '5', '--seed', '1']],
    takeaway: semaphore,
  },
  {
    name: 'tmdb',
    title: "TMDB's list, then details",
    paragraph:
      'Some work has stages: the now-playing list must arrive before the details of its movies can be asked for. The list is one wait nothing overlaps; the details are many independent waits that can.',
    runs: [['tmdb', '--offline', '-n', '20', '-s', 'sequential,all', '--seed', '1']],
    takeaway: tmdb,
  },
  {
    name: 'await-loop',
    title: '`await` in a loop is sequential',
    paragraph:
      '`for (const id of ids) results.push(await fetch(url(id)))` looks concurrent, since fetch is asynchronous, but each await waits for its request before the loop sends the next: the run is the sum of the requests.',
    runs: [['pokemon', '--offline', '-n', '10', '--latency', '100', '-s', 'sequential,all', '--seed', '1']],
    takeaway: awaitLoop,
  },
  {
    name: 'eager',
    title: 'Promises start eagerly',
    paragraph:
      'A JavaScript promise runs from the moment it is made: `ids.map(fetchOne)` has sent every request before Promise.all is even called. A Python coroutine does nothing until it is awaited or wrapped in a task. The per-request samples show when each request started.',
    runs: [['pokemon', '--offline', '-n', '10', '--latency', '100', '-s', 'all', '--details', '--seed', '1']],
    takeaway: eager,
  },
  {
    name: 'session',
    title: 'A session against a new connection each time',
    paragraph:
      "A session (requests.Session, aiohttp's ClientSession, undici's pool) keeps connections open and reuses them. Without keep-alive every request opens its own connection: one socket per request.",
    runs: [
      ['jsonplaceholder', '--offline', '-n', '50', '--latency', '0', '-s', 'sequential', '--seed', '1'],
      ['jsonplaceholder', '--offline', '-n', '50', '--latency', '0', '-s', 'sequential', '--no-keep-alive', '--seed', '1'],
    ],
    takeaway: session,
  },
  {
    name: 'blocking',
    title: 'Blocking work on the event loop',
    paragraph:
      'Concurrency is not parallelism. Every callback runs on the one event loop, one after another; 20 ms of synchronous work per response (parsing, mapping) queues the responses behind each other however many are in flight.',
    runs: [['pokemon', '--offline', '-n', '20', '--latency', '100', '-s', 'all', '--cpu-work', '20', '--seed', '1']],
    takeaway: blocking,
  },
  {
    name: 'threads',
    title: 'Threads against the event loop',
    paragraph:
      "Worker threads each have their own event loop, so the same CPU work runs on several cores at once. Python's threads for blocking calls are the same idea; for waiting alone they add nothing an event loop lacks.",
    runs: [['pokemon', '--offline', '-n', '40', '--latency', '100', '-s', 'all,workers', '--workers', '2', '--cpu-work', '20', '--seed', '1']],
    takeaway: threads,
  },
  {
    name: 'fail-fast',
    title: 'Fail-fast against settled',
    paragraph:
      "Promise.all rejects at the first failure, but the other requests are not cancelled: they keep running, and their results are lost to the caller. Promise.allSettled (Python's gather(return_exceptions=True)) waits for every request and keeps each result.",
    runs: [['jsonplaceholder', '--offline', '-n', '20', '-s', 'all', '--fail-fast', '--error-rate', '0.2', '--seed', '1']],
    takeaway: failFast,
  },
  {
    name: 'batched',
    title: 'Batches against a semaphore',
    paragraph:
      'Promise.all over chunks of 5 is the most common hand-written limiter. Each chunk waits for its slowest request before the next starts; a semaphore of 5 starts a new request as soon as any finishes. The ideal wall time, from each run\'s own request times, shows the schedule itself is the difference.',
    runs: [['pokemon', '--offline', '-n', '20', '-s', 'bounded,batched', '-c', '5', '--seed', '1']],
    takeaway: batched,
  },
  {
    name: 'too-many',
    title: 'Too many at once: the server blocks you',
    paragraph:
      "A server that takes 10 requests at once answers 503 to the rest. Promise.all over 100 requests sends them all and most fail; an adaptive limiter starts low, grows while answers come back, and backs off at each refusal, settling near the server's limit.",
    runs: [['pokemon', '--offline', '-n', '100', '--latency', '100', '--max-inflight', '10', '-s', 'all,adaptive', '--seed', '1']],
    takeaway: tooMany,
  },
  {
    name: 'one-request',
    title: 'One request for all 100 posts against 100 requests',
    paragraph:
      'Before making requests faster, ask whether they are needed. An API that serves the whole list (/posts) answers 100 posts in one round trip; asking for them one by one (/posts/1 … /posts/100) costs 100, even all at once, and loads the server 100 times.',
    runs: [
      ['jsonplaceholder', '--offline', '-n', '100', '-s', 'all', '--seed', '1'],
      ['/posts', '--offline', '-n', '1', '-s', 'sequential', '--seed', '1'],
    ],
    takeaway: oneRequest,
  },
  {
    name: 'capacity',
    title: 'A server that serves only N at once',
    paragraph:
      "A server with a pool of 40 threads (FastAPI runs plain `def` endpoints in one) serves 40 requests at once and queues the rest. Below 40 in flight the server idles; above it, requests only wait in its queue.",
    runs: [['pokemon', '--offline', '-n', '80', '--latency', '50', '--capacity', '40', '-s', 'bounded', '-c', '20,40,80', '--seed', '1']],
    takeaway: capacity,
  },
];

export const LESSON_NAMES: readonly string[] = LESSONS.map((l) => l.name);
