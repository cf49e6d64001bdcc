// Row: `async-bench tour --json`, every lesson, timed from spawn to exit (once: the tour is half
// a minute, and its figure is the whole walk). The row cannot be measured unless the tour exits 0
// offline with every lesson present, each with its commands, a Report per run and a takeaway
// computed from them; the issue allows 90 s on this machine.
import { CLI, run as runProcess } from '../lib/proc.js';
import { makeRow } from '../lib/row.js';

export const id = 'tour';
export const title = 'async-bench tour: every lesson, offline';

const TARGET_MS = 90_000;

/** What is wrong with the tour's document, or null: every lesson --list names, each complete. */
function checkTour(doc, names) {
  if (doc?.schemaVersion !== 1 || !Array.isArray(doc.lessons)) return 'not a tour document';
  if (doc.partial) return 'marked partial';
  const seen = doc.lessons.map((l) => l.name);
  const missing = names.filter((n) => !seen.includes(n));
  if (missing.length > 0) return `lessons missing: ${missing.join(', ')}`;
  for (const l of doc.lessons) {
    if (typeof l.takeaway !== 'string' || l.takeaway === '' || l.takeaway.startsWith('no takeaway')) return `${l.name}: no takeaway (${l.takeaway})`;
    if (!Array.isArray(l.runs) || l.runs.length === 0) return `${l.name}: no runs`;
    for (const r of l.runs) {
      if (typeof r.command !== 'string' || !r.command.startsWith('npx async-bench ')) return `${l.name}: no command`;
      if (r.report?.schemaVersion !== 1 || !(r.report.results?.length > 0)) return `${l.name}: no report`;
    }
  }
  return null;
}

export async function run(ctx) {
  const list = await runProcess(process.execPath, [CLI, 'tour', '--list'], { timeoutMs: 30_000 });
  if (list.code !== 0) throw new Error(`tour --list: exit code ${list.code}\n${list.stderr.trim()}`);
  const names = list.stdout.trim().split('\n').map((line) => line.split(' ')[0]);
  ctx.log(`${id}: ${names.length} lessons`);
  const r = await runProcess(process.execPath, [CLI, 'tour', '--json', '-q'], { timeoutMs: 3 * TARGET_MS, env: { CI: '1' } });
  if (r.code !== 0) throw new Error(`tour --json: ${r.timedOut ? 'timed out' : `exit code ${r.code}`}\n${r.stderr.trim().slice(-2000)}`);
  let doc;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    throw new Error(`tour --json: stdout is not JSON: ${r.stdout.slice(0, 200)}`);
  }
  const problem = checkTour(doc, names);
  if (problem !== null) throw new Error(`tour --json: ${problem}`);
  return [
    makeRow({
      id,
      measurement: `tour ${names.length} lessons`,
      unit: 'ms',
      asyncBench: [r.wallMs],
      reference: { label: 'target', value: TARGET_MS },
      ratio: { definition: 'tour wall time / the 90 s the issue allows', of: (ab, ref) => ab / ref },
      target: { text: `<= ${TARGET_MS} ms`, spec: { maxMs: TARGET_MS }, check: ({ ab }) => ab <= TARGET_MS },
      details: { command: 'node bin/async-bench.js tour --json -q', takeaways: Object.fromEntries(doc.lessons.map((l) => [l.name, l.takeaway])) },
    }),
  ];
}
