import { maxOf } from '../core/stats.js';
import { formatLatency } from '../fixture-server/latency.js';
import { wrapText } from '../export/format.js';
import { PRESETS } from '../targets/presets/index.js';
import { EXIT } from './exit-codes.js';
import { DEFAULT_WIDTH, outputWidth } from './outputs.js';

/**
 * `async-bench presets`: a two-column list (the name and where it fetches from live), with what
 * each fetches, what it needs and its offline delay under it, every line within `width`.
 */
export function renderPresets(width = DEFAULT_WIDTH): string {
  const nameWidth = maxOf(PRESETS.map((p) => p.name.length)) + 3;
  const detail = (label: string, text: string): string[] => {
    const lead = `    ${label.padEnd(8)} `;
    return wrapText(lead + text, width, { indent: ' '.repeat(lead.length) });
  };
  const blocks = PRESETS.map((p) => [
    `${p.name.padEnd(nameWidth)}live ${p.liveBaseUrl}`,
    ...detail('fetches', p.description),
    ...(p.keyVariable === null ? [] : detail('needs', `${p.keyVariable} live (offline: no key)`)),
    ...detail('offline', `${formatLatency(p.defaultLatency)} delay`),
  ]);
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n\nRun one offline: async-bench <preset> --offline\n`;
}

export async function presetsCommand(): Promise<number> {
  process.stdout.write(renderPresets(outputWidth(process.stdout, process.env)));
  return EXIT.ok;
}
