import type { Readable } from 'node:stream';
import { UsageError, quoteInput } from '../core/errors.js';
import type { Preset } from './preset.js';
import { findPreset } from './presets/index.js';
import { readUrlFile, validateUrl } from './url-list.js';

export type Target = { kind: 'preset'; preset: Preset } | { kind: 'urls'; urls: string[] };

const looksLikeUrl = (arg: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(arg);

/**
 * What to fetch: one preset, or URLs from the arguments and --file together, in order.
 * Every problem is a usage error, found before any request is sent.
 */
export async function resolveTarget(args: readonly string[], file: string | undefined, stdin?: Readable): Promise<Target> {
  const presetArgs = args.filter((a) => !looksLikeUrl(a));
  if (presetArgs.length > 0) {
    const preset = findPreset(presetArgs[0]!);
    if (args.length > 1 || file !== undefined) {
      throw new UsageError(`a preset (${quoteInput(preset.name)}) cannot be mixed with URLs or other presets; give one preset, or only URLs`);
    }
    return { kind: 'preset', preset };
  }
  let urls = args.map((a) => validateUrl(a));
  // concat, not push(...list): a spread of 125,000 URLs overflows the stack.
  if (file !== undefined) urls = urls.concat(await readUrlFile(file, stdin));
  if (urls.length === 0) {
    throw new UsageError(
      file !== undefined ? `no URLs in ${quoteInput(file === '-' ? 'stdin' : file)} (blank lines and # comments are skipped)` : 'nothing to fetch: give a preset (pokemon, jsonplaceholder) or http(s) URLs, e.g. async-bench pokemon --offline',
    );
  }
  return { kind: 'urls', urls };
}
