import type { Readable } from 'node:stream';
import { UsageError, quoteInput } from '../core/errors.js';
import type { RedactionPolicy } from '../core/redact.js';
import type { RequestSpec } from '../core/request.js';
import { validateUrlTemplate } from './request-file.js';
import type { Preset } from './preset.js';
import { findPreset } from './presets/index.js';
import { isPath, readUrlFile, validatePath } from './url-list.js';

/**
 * A preset, or URLs. URLs from a request file or a HAR come with their requests (`specs`, one
 * per URL, in the same order); `literal` requests (a HAR) have no placeholders.
 */
export type Target = { kind: 'preset'; preset: Preset } | { kind: 'urls'; urls: string[]; specs?: RequestSpec[]; literal?: boolean; paths?: true };

const looksLikeUrl = (arg: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(arg);

const fileName = (path: string): string => (path === '-' ? 'stdin' : path);

/**
 * What to fetch: one preset, or URLs from the arguments and then each --file, in order.
 * Every problem is a usage error, found before any request is sent. `signal` ends the read of
 * a --file at once (an AbortError).
 */
export async function resolveTarget(args: readonly string[], files: readonly string[], stdin?: Readable, signal?: AbortSignal, redaction?: RedactionPolicy): Promise<Target> {
  const presetArgs = args.filter((a) => !looksLikeUrl(a) && !isPath(a));
  if (presetArgs.length > 0) {
    const preset = findPreset(presetArgs[0]!);
    if (args.length > 1 || files.length > 0) {
      throw new UsageError(`a preset (${quoteInput(preset.name)}) cannot be mixed with URLs or other presets; give one preset, or only URLs`);
    }
    return { kind: 'preset', preset };
  }
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('--file - is given twice: standard input can be read only once');
  const urls = args.map((a) => (isPath(a) ? validatePath(a, 'path', (url) => validateUrlTemplate(url, 'path')) : validateUrlTemplate(a, 'URL', redaction)));
  for (const file of files) {
    // Pushed one by one: spreading 100,000 URLs as call arguments could overflow the stack.
    for (const url of await readUrlFile(file, stdin, signal, redaction)) urls.push(url);
  }
  if (urls.length === 0) {
    throw new UsageError(
      files.length > 0
        ? `no URLs in ${files.map((f) => quoteInput(fileName(f))).join(', ')} (blank lines and # comments are skipped)`
        : 'nothing to fetch: give a preset (pokemon, jsonplaceholder) or http(s) URLs, e.g. async-bench pokemon --offline',
    );
  }
  // Paths ("/posts") name routes of the built-in server (--offline): all of them, or none.
  const paths = urls.filter(isPath).length;
  if (paths === 0) return { kind: 'urls', urls };
  if (paths < urls.length) {
    throw new UsageError(`paths (${quoteInput(urls.find(isPath)!)}) are fetched from the built-in server with --offline, URLs from where they point: give only paths, or only URLs`);
  }
  return { kind: 'urls', urls, paths: true };
}
