// Reads a URL file the way async-bench does: one per line, blank lines and # comments skipped.
import { readFileSync } from 'node:fs';

export function readUrls(path) {
  if (!path) {
    process.stderr.write('usage: node <script> <urls-file>\n');
    process.exit(2);
  }
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The same fields, with the same meaning, as one async-bench result. */
export function printResult(wallMs, requests, ok) {
  const result = { wallMs, requests, ok, failed: requests - ok, reqPerSec: requests / (wallMs / 1000) };
  process.stdout.write(JSON.stringify(result) + '\n');
}
