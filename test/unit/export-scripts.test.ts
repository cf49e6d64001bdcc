/**
 * The scripts `export` writes, without k6 or Locust: k6 cannot be installed here, so its script
 * is parsed as an ES module (esbuild), turned into CommonJS and run in a vm against stub k6
 * modules that record what it asks for (scenarios, executors, thresholds, each request). The
 * Locust file is checked by its text here; test/e2e/locust.test.ts runs it in Locust itself.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_REDACTION, redactionPolicy } from '../../src/core/redact.js';
import type { RequestSpec } from '../../src/core/request.js';
import { parseThreshold } from '../../src/core/thresholds.js';
import { k6Threshold, renderK6 } from '../../src/export/k6.js';
import { renderLocust } from '../../src/export/locust.js';
import { buildScenario, slotMs, type ScenarioInput } from '../../src/export/scenario.js';
import { loadK6 } from '../helpers/k6-stub.js';

const BASE = 'https://pokeapi.co';

function input(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  const requests: RequestSpec[] = [
    { method: 'GET', url: `${BASE}/api/v2/pokemon/25`, headers: null, body: null },
    { method: 'POST', url: `${BASE}/api/v2/items`, headers: { 'content-type': 'application/json', 'x-case': 'post' }, body: '{"name":"é"}' },
    { method: 'PUT', url: `${BASE}/api/v2/items/3`, headers: null, body: Buffer.from([0, 255, 1]) },
    { method: 'DELETE', url: 'https://other.example/x', headers: null, body: null },
  ];
  return {
    tool: 'async-bench 0.1.0',
    command: 'async-bench export k6 …',
    requests,
    headers: { 'x-run': 'k6' },
    strategies: [
      { strategy: 'sequential', concurrency: 1 },
      { strategy: 'all', concurrency: null },
      { strategy: 'bounded', concurrency: 2 },
      { strategy: 'bounded', concurrency: 8 },
    ],
    thresholds: [],
    failOnError: false,
    timeoutMs: 2_000,
    maxRedirects: 3,
    insecure: false,
    keepAlive: true,
    notCarried: [],
    baseUrl: BASE,
    apiKey: null,
    redaction: DEFAULT_REDACTION,
    secrets: [],
    ...overrides,
  };
}

describe('k6 script', () => {
  const scenario = buildScenario(input());
  const script = renderK6(scenario);

  test('one scenario per strategy: sequential one VU, all one http.batch, bounded C VUs sharing the iterations, one after another', () => {
    const { module } = loadK6(script);
    const { scenarios } = module.options;
    expect(Object.keys(scenarios)).toEqual(['sequential', 'all', 'bounded_c2', 'bounded_c8']);
    expect(scenarios.sequential).toMatchObject({ executor: 'shared-iterations', exec: 'replay', vus: 1, iterations: 4, startTime: '0ms' });
    expect(scenarios.all).toMatchObject({ executor: 'per-vu-iterations', exec: 'batch', vus: 1, iterations: 1 });
    expect(scenarios.bounded_c2).toMatchObject({ executor: 'shared-iterations', exec: 'replay', vus: 2, iterations: 4 });
    // A limit above the request count never has more VUs than iterations.
    expect(scenarios.bounded_c8).toMatchObject({ vus: 4, iterations: 4 });
    // Each starts when the one before has had time for all its requests to time out.
    const slots = scenario.strategies.map((s) => slotMs(s, 4, 2_000));
    expect(slots).toEqual([9_000, 3_000, 5_000, 3_000]);
    expect(Object.values(scenarios).map((s) => [s.startTime, s.maxDuration])).toEqual([
      ['0ms', '9000ms'],
      ['9000ms', '3000ms'],
      ['12000ms', '5000ms'],
      ['17000ms', '3000ms'],
    ]);
    expect(module.options).toMatchObject({ batch: 4, batchPerHost: 4, maxRedirects: 3 });
    expect(module.options.insecureSkipTLSVerify).toBeUndefined();
    expect(module.options.noConnectionReuse).toBeUndefined();
  });

  test('-e STRATEGY picks scenarios, which then start at once; an unknown one is refused', () => {
    const { module } = loadK6(script, { STRATEGY: 'bounded_c2' });
    expect(Object.keys(module.options.scenarios)).toEqual(['bounded_c2']);
    expect(module.options.scenarios.bounded_c2!.startTime).toBe('0ms');
    expect(() => loadK6(script, { STRATEGY: 'bounded_c3' })).toThrow(/no strategy bounded_c3; this script has sequential, all, bounded_c2, bounded_c8/);
  });

  test('the request list: methods, URLs under BASE_URL, headers over the shared ones, text and binary bodies', () => {
    const { module, calls, iteration } = loadK6(script, { BASE_URL: 'http://127.0.0.1:9' });
    for (let i = 0; i < 4; i++) {
      iteration.value = i;
      module.replay();
    }
    const expected = [
      { kind: 'request', method: 'GET', url: 'http://127.0.0.1:9/api/v2/pokemon/25', body: null, headers: { 'x-run': 'k6' }, timeout: '2000ms' },
      { kind: 'request', method: 'POST', url: 'http://127.0.0.1:9/api/v2/items', body: '{"name":"é"}', headers: { 'x-run': 'k6', 'content-type': 'application/json', 'x-case': 'post' }, timeout: '2000ms' },
      { kind: 'request', method: 'PUT', url: 'http://127.0.0.1:9/api/v2/items/3', body: { base64: 'AP8B' }, headers: { 'x-run': 'k6' }, timeout: '2000ms' },
      { kind: 'request', method: 'DELETE', url: 'https://other.example/x', body: null, headers: { 'x-run': 'k6' }, timeout: '2000ms' },
    ];
    expect(calls).toEqual(expected);
    calls.length = 0;
    module.batch();
    expect(calls).toEqual(expected.map((c) => ({ ...c, kind: 'batch' })));
    // Without BASE_URL, the preset's own.
    const live = loadK6(script);
    live.module.replay();
    expect(live.calls[0]!.url).toBe(`${BASE}/api/v2/pokemon/25`);
  });

  test('thresholds where k6 has the metric, per scenario; a comment names each one it has not', () => {
    const thresholds = ['p95<300', 'bounded@2.p50<=100', 'all.errorRate<0.01', 'bounded.failed==0', 'speedup>=3', 'wallMs<1000', 'reqPerSec>10', 'failed<3'].map(parseThreshold);
    const text = renderK6(buildScenario(input({ thresholds, failOnError: true })));
    const { module } = loadK6(text);
    expect(module.options.thresholds).toEqual({
      http_req_failed: ['rate==0'],
      'http_req_duration{scenario:sequential}': ['p(95)<300'],
      'http_req_duration{scenario:all}': ['p(95)<300'],
      'http_req_failed{scenario:all}': ['rate<0.01'],
      'http_req_duration{scenario:bounded_c2}': ['p(95)<300', 'p(50)<=100'],
      'http_req_failed{scenario:bounded_c2}': ['rate==0'],
      'http_req_duration{scenario:bounded_c8}': ['p(95)<300'],
      'http_req_failed{scenario:bounded_c8}': ['rate==0'],
    });
    expect(text).toContain('//   speedup>=3: not translated (k6 does not compare one scenario with another)');
    expect(text).toContain("//   wallMs<1000: not translated (k6 has no metric for a scenario's wall time)");
    expect(text).toContain("//   reqPerSec>10: not translated (k6's request rate (http_reqs) is over the whole test, not one scenario)");
    expect(text).toContain('//   failed<3: not translated (k6 counts failures as a rate (http_req_failed), not a number)');
  });

  test('each metric of --threshold, translated or not', () => {
    expect(k6Threshold(parseThreshold('p99>=2.5'))).toEqual({ metric: 'http_req_duration', expression: 'p(99)>=2.5' });
    expect(k6Threshold(parseThreshold('p90==7'))).toEqual({ metric: 'http_req_duration', expression: 'p(90)==7' });
    expect(k6Threshold(parseThreshold('errorRate<=0.5'))).toEqual({ metric: 'http_req_failed', expression: 'rate<=0.5' });
    expect(k6Threshold(parseThreshold('failed<1'))).toEqual({ metric: 'http_req_failed', expression: 'rate==0' });
    expect(k6Threshold(parseThreshold('failed<=0'))).toEqual({ metric: 'http_req_failed', expression: 'rate==0' });
    expect(k6Threshold(parseThreshold('failed>0'))).toHaveProperty('reason');
  });

  test('-k and --no-keep-alive become k6 options', () => {
    const { module } = loadK6(renderK6(buildScenario(input({ insecure: true, keepAlive: false }))));
    expect(module.options).toMatchObject({ insecureSkipTLSVerify: true, noConnectionReuse: true });
  });
});

describe('secrets are read from the environment, never written', () => {
  const key = 'k'.repeat(8) + '0123456789abcdef';
  const secretInput = (): ScenarioInput =>
    input({
      requests: [
        { method: 'GET', url: `${BASE}/3/movie/1?api_key=${key}&page=1`, headers: null, body: null },
        { method: 'POST', url: 'https://user:pa55word@other.example/login?token=t0ken-value', headers: { 'x-api-key': 'xk-1234567' }, body: '{"user":"ann","password":"hunter22"}' },
      ],
      headers: { authorization: `Bearer ${key}`, 'x-trace': 'on' },
      apiKey: { value: key, variable: 'TMDB_API_KEY', description: 'the tmdb API key' },
      secrets: [key, `Bearer ${key}`, 'xk-1234567', 't0ken-value', 'pa55word', 'hunter22'],
    });

  test('each secret becomes a variable named for where it was found, the preset key first', () => {
    const scenario = buildScenario(secretInput());
    expect(scenario.variables.map((v) => [v.name, v.description, v.fallback])).toEqual([
      ['BASE_URL', "where the preset's paths are sent", BASE],
      ['TMDB_API_KEY', 'the tmdb API key', null],
      ['X_API_KEY', 'the x-api-key header', null],
      ['TOKEN', 'the token query parameter', null],
      ['URL_USER', 'the user name in the URLs', null],
      ['URL_PASSWORD', 'the password in the URLs', null],
      ['PASSWORD', 'the password field of a request body', null],
    ]);
    // "Bearer KEY" is the scheme and the preset's key, not a variable of its own.
    expect(scenario.headers).toEqual([
      ['authorization', ['Bearer ', { variable: 'TMDB_API_KEY' }]],
      ['x-trace', ['on']],
    ]);
  });

  test('k6 reads __ENV, Locust reads os.environ; neither file holds a secret, and k6 refuses to start without one', () => {
    const scenario = buildScenario(secretInput());
    const k6 = renderK6(scenario);
    const locust = renderLocust(scenario);
    for (const text of [k6, locust]) for (const secret of ['hunter22', 'pa55word', 't0ken-value', 'xk-1234567', key]) expect(text).not.toContain(secret);
    expect(k6).toContain('TMDB_API_KEY: __ENV.TMDB_API_KEY,');
    expect(locust).toContain('"TMDB_API_KEY": os.environ.get("TMDB_API_KEY"),');
    expect(k6).toContain('//   TMDB_API_KEY: the tmdb API key (required)');
    expect(locust).toContain('    TMDB_API_KEY: the tmdb API key (required)');
    expect(() => loadK6(k6)).toThrow(/set TMDB_API_KEY \(k6 run -e TMDB_API_KEY=\.\.\.\)/);
    const env = { TMDB_API_KEY: key, X_API_KEY: 'xk-1234567', TOKEN: 't0ken-value', URL_USER: 'user', URL_PASSWORD: 'pa55word', PASSWORD: 'hunter22' };
    const { module, calls, iteration } = loadK6(k6, env);
    for (let i = 0; i < 2; i++) {
      iteration.value = i;
      module.replay();
    }
    // With the variables set, the requests are the run's, byte for byte.
    expect(calls.map((c) => [c.method, c.url, c.headers, c.body])).toEqual([
      ['GET', `${BASE}/3/movie/1?api_key=${key}&page=1`, { authorization: `Bearer ${key}`, 'x-trace': 'on' }, null],
      ['POST', 'https://user:pa55word@other.example/login?token=t0ken-value', { authorization: `Bearer ${key}`, 'x-trace': 'on', 'x-api-key': 'xk-1234567' }, '{"user":"ann","password":"hunter22"}'],
    ]);
  });

  test('--redact names are secret too', () => {
    const scenario = buildScenario(input({ headers: { 'x-tenant': 'acme-corp' }, redaction: redactionPolicy(['x-tenant']) }));
    expect(renderK6(scenario)).not.toContain('acme-corp');
    expect(scenario.variables.map((v) => v.name)).toContain('X_TENANT');
  });

  test('property: a secret header value, whatever its characters, never appears in either script', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (random) => {
        const value = `s3cret:${random}`.trim();
        const scenario = buildScenario(input({ headers: { 'x-auth-token': value, 'x-run': 'k6' } }));
        expect(scenario.headers[0]).toEqual(['x-auth-token', [{ variable: 'X_AUTH_TOKEN' }]]);
        for (const text of [renderK6(scenario), renderLocust(scenario)]) {
          // Neither as typed nor as a string literal's escaped form.
          expect(text).not.toContain(value);
          expect(text).not.toContain(JSON.stringify(value).slice(1, -1));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('Locust file', () => {
  const text = renderLocust(buildScenario(input({ thresholds: [parseThreshold('p95<300')], keepAlive: false })));

  test('one user class per strategy, with its number of users, and the shape that runs them in turn', () => {
    expect(text).toMatch(/^class Sequential\(_Replay\):\n {4}strategy = "sequential"\n {4}users = 1$/m);
    expect(text).toMatch(/^class All\(_Replay\):\n {4}strategy = "all"\n {4}users = 4$/m);
    expect(text).toMatch(/^class Bounded2\(_Replay\):\n {4}strategy = "bounded@2"\n {4}users = 2$/m);
    // A limit above the request count: as many users as requests.
    expect(text).toMatch(/^class Bounded8\(_Replay\):\n {4}strategy = "bounded@8"\n {4}users = 4$/m);
    expect(text).toContain('STRATEGIES = [Sequential, All, Bounded2, Bounded8]');
    expect(text).toContain('class StrategyByStrategy(LoadTestShape):');
  });

  test('requests as tuples, binary bodies in base64, no keep-alive as Connection: close, thresholds named as not carried', () => {
    expect(text).toContain('    ("POST", VARS["BASE_URL"] + "/api/v2/items", {"content-type": "application/json", "x-case": "post"}, "{\\"name\\":\\"é\\"}"),');
    expect(text).toContain('    ("PUT", VARS["BASE_URL"] + "/api/v2/items/3", None, base64.b64decode("AP8B")),');
    expect(text).toContain('HEADERS = {"x-run": "k6", "connection": "close"}');
    expect(text).toContain('    p95<300: not carried (Locust has no thresholds; read its statistics per strategy)');
    expect(text).toMatch(/^import base64$/m);
  });
});
