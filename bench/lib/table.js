// The printed table: plain text, fixed columns, nothing but the result on stdout.

const COLUMNS = ['measurement', 'async-bench', 'reference', 'ratio', 'target', 'pass'];

export function formatValue(value, unit) {
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 100 ? 1 : 0)} ms`;
    case 'req/s':
      return `${Math.round(value).toLocaleString('en-US')} req/s`;
    case 'MB':
      return `${value.toFixed(1)} MB`;
    case 'µs':
      return `${value.toFixed(1)} µs`;
    default:
      return `${value} ${unit}`;
  }
}

function passText(row) {
  if (row.skipped) return 'skipped';
  if (row.error) return 'ERROR';
  if (row.pass === null) return 'info';
  return row.pass ? 'yes' : 'NO';
}

function cells(row) {
  if (row.skipped) return [row.measurement, row.skipped, '', '', '', passText(row)];
  if (row.error) return [row.measurement, 'could not measure (see below)', '', '', '', passText(row)];
  const reference = row.reference.median === null ? '—' : `${formatValue(row.reference.median, row.unit)} (${row.reference.label})`;
  const ratio = row.ratio.value === null ? '—' : row.ratio.value.toFixed(3);
  return [row.measurement, formatValue(row.asyncBench.median, row.unit), reference, ratio, row.target.text, passText(row)];
}

/** `names` renames the two figure columns (bench/compare.js: after, before). */
export function renderTable(rows, names = {}) {
  const headers = COLUMNS.map((h) => names[h] ?? h);
  const body = rows.map(cells);
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (r) => '| ' + r.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  const rule = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  return [line(headers), rule, ...body.map(line)].join('\n') + '\n';
}
