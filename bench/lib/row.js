// A row of the table, and of latest.json: medians quoted, raw repeats kept.
import { median, round } from './stats.js';

/**
 * @param o.id            the row group (--only picks by it)
 * @param o.measurement   the label in the table
 * @param o.unit          'ms' | 'req/s' | 'MB'
 * @param o.asyncBench    per-repeat values of async-bench
 * @param o.reference     { label, repeats } or { label, value } for an ideal
 * @param o.ratio         { definition, of(abMedian, refMedian) }
 * @param o.target        { text, check({ ab, ref, ratio }) -> boolean } or { text: '(info)' } for no target
 * @param o.failedRequests requests that failed over every repeat of both sides (a row with any cannot pass)
 * @param o.details       anything else worth keeping
 */
export function makeRow(o) {
  const ab = median(o.asyncBench);
  const refRepeats = o.reference.repeats ?? null;
  const ref = refRepeats ? median(refRepeats) : o.reference.value ?? null;
  const ratio = ab !== null && ref !== null ? o.ratio.of(ab, ref) : null;
  const failed = o.failedRequests ?? 0;
  let pass = null;
  if (o.target.check) pass = ratio !== null && failed === 0 && o.target.check({ ab, ref, ratio });
  const notes = [...(o.notes ?? [])];
  if (failed > 0) notes.push(`${failed} request(s) failed: a row with failures does not pass`);
  return {
    id: o.id,
    measurement: o.measurement,
    unit: o.unit,
    asyncBench: { median: round(ab), repeats: o.asyncBench.map((v) => round(v)) },
    reference: { label: o.reference.label, median: round(ref), repeats: refRepeats ? refRepeats.map((v) => round(v)) : null },
    ratio: { value: round(ratio, 4), definition: o.ratio.definition },
    target: { text: o.target.text, ...(o.target.spec ?? {}) },
    pass,
    failedRequests: failed,
    notes,
    details: o.details ?? {},
    skipped: null,
    error: null,
  };
}

/** A row that was not measured has the same keys, with nulls, so readers need no special case. */
function emptyRow(id, measurement) {
  return {
    id,
    measurement,
    unit: null,
    asyncBench: { median: null, repeats: [] },
    reference: { label: null, median: null, repeats: null },
    ratio: { value: null, definition: null },
    target: { text: null },
    pass: null,
    failedRequests: 0,
    notes: [],
    details: {},
    skipped: null,
    error: null,
  };
}

export function skippedRow(id, measurement, reason) {
  return { ...emptyRow(id, measurement), skipped: reason };
}

/** A row that could not be measured (a child crashed, timed out or printed no JSON): it fails. */
export function errorRow(id, measurement, err) {
  return { ...emptyRow(id, measurement), pass: false, error: err instanceof Error ? err.message : String(err) };
}
