import Table from 'cli-table3';
import { formatLatency } from '../fixture-server/latency.js';
import { withoutRowRules } from '../export/format.js';
import { PRESETS } from '../targets/presets/index.js';
import { EXIT } from './exit-codes.js';

/** `async-bench presets`: what each preset fetches, where, and what it needs. */
export function renderPresets(): string {
  const table = new Table({
    head: ['Preset', 'Live base URL', 'Fetches', 'Needs', 'Offline latency'],
    style: { head: [], border: [] },
  });
  for (const p of PRESETS) {
    table.push([p.name, p.liveBaseUrl, p.description, p.keyVariable ?? '–', formatLatency(p.defaultLatency)]);
  }
  return `${withoutRowRules(table.toString())}\nRun one offline: async-bench <preset> --offline   (tmdb --offline needs no key)\n`;
}

export async function presetsCommand(): Promise<number> {
  process.stdout.write(renderPresets());
  return EXIT.ok;
}
