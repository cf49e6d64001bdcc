/**
 * A k6 script run without k6 (which cannot be installed here): parsed as an ES module by
 * esbuild (any syntax error is refused), turned into CommonJS and run in a vm with __ENV and
 * stub k6/http, k6/execution and k6/encoding modules that record each request it makes.
 */
import { runInNewContext } from 'node:vm';
import { transformSync } from 'esbuild';

export interface K6Call {
  kind: 'request' | 'batch';
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
  timeout: string;
}

export interface K6Module {
  options: {
    scenarios: Record<string, { executor: string; exec: string; vus: number; iterations: number; startTime: string; maxDuration: string }>;
    thresholds: Record<string, string[]>;
    batch: number;
    batchPerHost: number;
    maxRedirects: number;
    insecureSkipTLSVerify?: boolean;
    noConnectionReuse?: boolean;
  };
  replay(): void;
  batch(): void;
}

/** Loads the script; `iteration` is what exec.scenario.iterationInTest answers (set it before each replay()). */
export function loadK6(script: string, env: Record<string, string> = {}): { module: K6Module; calls: K6Call[]; iteration: { value: number } } {
  const cjs = transformSync(script, { loader: 'js', format: 'cjs', sourcefile: 'script.js' }).code;
  const calls: K6Call[] = [];
  const iteration = { value: 0 };
  const record = (kind: K6Call['kind'], method: string, url: string, body: unknown, params: { headers: Record<string, string>; timeout: string }): void => {
    calls.push({ kind, method, url, body, headers: params.headers, timeout: params.timeout });
  };
  const stubs: Record<string, unknown> = {
    'k6/http': {
      request: (method: string, url: string, body: unknown, params: { headers: Record<string, string>; timeout: string }) => record('request', method, url, body, params),
      batch: (requests: Array<{ method: string; url: string; body: unknown; params: { headers: Record<string, string>; timeout: string } }>) => {
        for (const r of requests) record('batch', r.method, r.url, r.body, r.params);
      },
    },
    'k6/execution': {
      scenario: {
        get iterationInTest() {
          return iteration.value;
        },
      },
    },
    'k6/encoding': { b64decode: (text: string) => ({ base64: text }) },
  };
  const module = { exports: {} as K6Module };
  const require = (name: string): unknown => {
    if (!(name in stubs)) throw new Error(`the script imports ${name}, which is not a k6 module`);
    return { __esModule: true, default: stubs[name] };
  };
  runInNewContext(cjs, { module, exports: module.exports, require, __ENV: env });
  return { module: module.exports, calls, iteration };
}
