/**
 * What a run measured, as a baseline needs to know it: the same fingerprint means the same
 * workload. Secrets never enter it (header names only), and a URL list enters as a hash.
 */
import { hashString } from './random.js';
import type { ReportConfig } from './report.js';

export interface Fingerprint {
  target: string;
  /** A hash of the URL list (null for a preset: its URLs follow the seed, its count and target name it). */
  urls: string | null;
  count: number;
  strategies: string[];
  concurrency: number[];
  latency: string | null;
  faults: string | null;
  method: string;
  /** Header names, lower case and sorted; never their values. */
  headers: string[];
  /** The HTTP versions offered ("h2", "h1,h2"); absent for HTTP/1.1 alone, as in fingerprints made before it. */
  protocol?: string;
  /** With the workers strategy: its threads (absent without, so older baselines still match). */
  workers?: number;
  /** With --cpu-work: the work after each response, ms (absent without). */
  cpuWorkMs?: number;
}

export const FINGERPRINT_FIELDS = ['target', 'urls', 'count', 'strategies', 'concurrency', 'latency', 'faults', 'method', 'headers', 'protocol', 'workers', 'cpuWorkMs'] as const satisfies ReadonlyArray<keyof Fingerprint>;
export type FingerprintField = (typeof FINGERPRINT_FIELDS)[number];

/** Two independent 32-bit FNV-1a hashes over the list, as 16 hex digits: cheap and stable. */
export function hashUrlList(urls: readonly string[]): string {
  let a = 0x9747b28c;
  let b = 0x2545f491;
  for (const url of urls) {
    a = hashString(url, a);
    b = hashString(url, b ^ 0x5bd1e995);
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

export function workloadFingerprint(config: Omit<ReportConfig, 'count'>, count: number, urls: readonly string[] | null, method = 'GET'): Fingerprint {
  const faults = config.faults ? JSON.stringify(config.faults) : null;
  const protocol = config.transport.protocol === 'h1' ? {} : { protocol: config.transport.protocol };
  return {
    target: config.target,
    urls: urls === null ? null : hashUrlList(urls),
    count,
    strategies: [...config.strategies],
    concurrency: [...config.concurrency],
    latency: config.latency,
    faults,
    method,
    headers: config.headers.map((h) => h.slice(0, h.indexOf(':')).trim().toLowerCase()).sort(),
    ...protocol,
    ...(config.workers === undefined ? {} : { workers: config.workers }),
    ...(config.cpuWorkMs === undefined ? {} : { cpuWorkMs: config.cpuWorkMs }),
  };
}

/** The fields whose values differ, less those the user chose to ignore. */
export function fingerprintDifferences(saved: Fingerprint, current: Fingerprint, ignore: readonly FingerprintField[] = []): FingerprintField[] {
  return FINGERPRINT_FIELDS.filter((f) => !ignore.includes(f) && JSON.stringify(saved[f]) !== JSON.stringify(current[f]));
}
