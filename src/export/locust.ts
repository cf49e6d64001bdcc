/**
 * A locustfile that replays a run's requests, one user class per strategy: sequential as one
 * user sending them in order, all as one user per request, bounded as C users each sending
 * every C-th request. A load shape runs the strategies one after another and ends the test
 * when the last is done; with master and workers, the master numbers the users and counts
 * what they sent, so every request goes out once per strategy whatever the number of workers.
 */
import { maxOf } from '../core/stats.js';
import { type Scenario, type ScriptRequest, type ScriptStrategy, type ScriptText } from './scenario.js';

/** A Python string literal: JSON's escapes (\n, \", \\, \uXXXX) are all Python's too. */
const str = (text: string): string => JSON.stringify(text);

/** Script text as a Python expression: "literal" + VARS["NAME"] + … */
export function pyText(text: ScriptText): string {
  if (text.length === 0) return '""';
  return text.map((part) => (typeof part === 'string' ? str(part) : `VARS[${str(part.variable)}]`)).join(' + ');
}

function pyHeaders(headers: ScriptRequest['headers']): string {
  return `{${headers.map(([name, value]) => `${str(name)}: ${pyText(value)}`).join(', ')}}`;
}

function pyRequest(r: ScriptRequest): string {
  const headers = r.headers.length === 0 ? 'None' : pyHeaders(r.headers);
  const body = r.body === null ? 'None' : 'text' in r.body ? pyText(r.body.text) : `base64.b64decode(${str(r.body.base64)})`;
  return `    (${str(r.method)}, ${pyText(r.url)}, ${headers}, ${body}),`;
}

/** "bounded_c8" → "Bounded8": the class name to give on locust's command line. */
export function userClassName(strategy: ScriptStrategy): string {
  return strategy.strategy === 'sequential' ? 'Sequential' : strategy.strategy === 'all' ? 'All' : `Bounded${strategy.concurrency}`;
}

export function renderLocust(scenario: Scenario): string {
  const n = scenario.requests.length;
  const shared: ScriptRequest['headers'] = scenario.keepAlive ? scenario.headers : [...scenario.headers, ['connection', ['close']]];
  const classes = scenario.strategies.map((s) => ({ strategy: s, name: userClassName(s) }));
  const width = maxOf([...classes.map((c) => c.name.length), 8]);
  const describe = (s: ScriptStrategy): string => {
    if (s.strategy === 'sequential') return `1 user sends the ${n} requests in order`;
    if (s.strategy === 'all') return `${n} users, one request each, all at once`;
    return `${s.inFlight} users taking turns (user k sends requests k, k+${s.inFlight}, …): ${s.inFlight} in flight at most`;
  };
  const checks = [
    ...scenario.thresholds.map((t) => `    ${t.expr}: not carried (Locust has no thresholds; read its statistics per strategy)`),
    ...(scenario.failOnError ? ['    --fail-on-error: Locust exits 1 when a request failed, as it always does'] : []),
  ];
  const example = classes.at(-1)?.name ?? 'Sequential';
  const lines: string[] = [
    '"""',
    `${scenario.tool}: the requests of`,
    `    ${scenario.command}`,
    'for Locust, one user class per strategy:',
    ...classes.map((c) => `    ${c.name.padEnd(width)}  ${describe(c.strategy)}`),
    '',
    'A load shape runs the strategies one after another and stops when the last is done:',
    '    locust -f locustfile.py --headless                      every strategy',
    `    locust -f locustfile.py --headless ${example.padEnd(20)} one of them`,
    'With master and workers (the master hands each user its share of the requests):',
    '    locust -f locustfile.py --headless --master --expect-workers 2',
    '    locust -f locustfile.py --worker --master-host <master>   (on each worker machine)',
    'Statistics are named by strategy; Locust exits 1 when any request failed.',
  ];
  const add = (...parts: Array<string | readonly string[]>): void => {
    for (const part of parts) if (typeof part === 'string') lines.push(part);
    else for (const line of part) lines.push(line);
  };
  if (scenario.variables.length > 0) {
    add('', 'Environment (os.environ), on the master and on every worker:');
    for (const v of scenario.variables) add(`    ${v.name}: ${v.description}${v.fallback === null ? ' (required)' : ` (default ${v.fallback})`}`);
  }
  if (checks.length > 0) add('', 'Checks:', checks);
  if (scenario.notCarried.length > 0) add('', 'Not carried over:', scenario.notCarried.map((line) => `    ${line}`));
  add(
    '"""',
    (scenario.requests.some((r) => r.body !== null && 'base64' in r.body) ? ['import base64'] : []),
    'import os',
    '',
    'import gevent',
    'from gevent.event import AsyncResult',
    'from locust import HttpUser, LoadTestShape, events, task',
    'from locust.runners import MasterRunner, WorkerRunner',
    '',
    'VARS = {',
    scenario.variables.map((v) => `    ${str(v.name)}: os.environ.get(${str(v.name)}${v.fallback === null ? '' : `, ${str(v.fallback)}`}),`),
    '}',
    'for _name, _value in VARS.items():',
    '    if _value is None:',
    '        raise RuntimeError(f"set {_name} in the environment: the locustfile never holds a secret")',
    '',
    // --no-keep-alive: the server closes each connection, so every request opens its own.
    `HEADERS = ${shared.length === 0 ? '{}' : pyHeaders(shared)}`,
    `TIMEOUT_S = ${scenario.timeoutMs / 1000}`,
    `MAX_REDIRECTS = ${scenario.maxRedirects}`,
    '',
    '# (method, url, headers over HEADERS, body)',
    'REQUESTS = [',
    scenario.requests.map(pyRequest),
    ']',
    '',
    '# The master (or the only process) numbers the users of each strategy and counts the requests they sent.',
    '_next_user = {}',
    '_sent = {}',
    '_waiting = {}',
    '',
    '',
    'def _number(strategy):',
    '    number = _next_user.get(strategy, 0)',
    '    _next_user[strategy] = number + 1',
    '    return number',
    '',
    '',
    'def _count(environment, strategy, requests):',
    '    _sent[strategy] = _sent.get(strategy, 0) + requests',
    '    chosen = [cls for cls in STRATEGIES if cls in environment.runner.user_classes]',
    '    headless = environment.parsed_options is not None and environment.parsed_options.headless',
    '    if headless and all(_sent.get(cls.strategy, 0) >= len(REQUESTS) for cls in chosen):',
    '        gevent.spawn(environment.runner.quit)  # the last strategy is done: end now, not at the next tick',
    '',
    '',
    '@events.init.add_listener',
    'def _coordinate(environment, **_kwargs):',
    '    runner = environment.runner',
    '    if isinstance(runner, MasterRunner):',
    '        def on_number(msg, **_kw):',
    '            reply = {"token": msg.data["token"], "number": _number(msg.data["strategy"])}',
    '            runner.send_message("async_bench_number", reply, client_id=msg.node_id)',
    '',
    '        def on_sent(msg, **_kw):',
    '            _count(environment, msg.data["strategy"], msg.data["requests"])',
    '',
    '        runner.register_message("async_bench_ask_number", on_number)',
    '        runner.register_message("async_bench_sent", on_sent)',
    '    elif isinstance(runner, WorkerRunner):',
    '        def on_reply(msg, **_kw):',
    '            _waiting.pop(msg.data["token"]).set(msg.data["number"])',
    '',
    '        runner.register_message("async_bench_number", on_reply)',
    '',
    '',
    'class _Replay(HttpUser):',
    '    abstract = True',
    '    host = REQUESTS[0][1] if REQUESTS else "http://localhost"',
    '    strategy = ""',
    '    users = 1',
    '',
    '    def on_start(self):',
    '        self.client.max_redirects = MAX_REDIRECTS',
    (scenario.insecure ? ['        self.client.verify = False'] : []),
    '',
    '    def _user_number(self):',
    '        runner = self.environment.runner',
    '        if not isinstance(runner, WorkerRunner):',
    '            return _number(self.strategy)',
    '        token = f"{runner.client_id} {id(self)}"',
    '        _waiting[token] = AsyncResult()',
    '        runner.send_message("async_bench_ask_number", {"token": token, "strategy": self.strategy})',
    '        return _waiting[token].get()',
    '',
    '    @task',
    '    def replay(self):',
    '        sent = 0',
    '        for index in range(self._user_number(), len(REQUESTS), self.users):',
    '            method, url, headers, body = REQUESTS[index]',
    '            self.client.request(',
    '                method,',
    '                url,',
    '                headers=HEADERS if headers is None else {**HEADERS, **headers},',
    '                data=body.encode("utf-8") if isinstance(body, str) else body,',
    '                name=self.strategy,',
    '                timeout=TIMEOUT_S,',
    '            )',
    '            sent += 1',
    '        runner = self.environment.runner',
    '        if isinstance(runner, WorkerRunner):',
    '            runner.send_message("async_bench_sent", {"strategy": self.strategy, "requests": sent})',
    '        else:',
    '            _count(self.environment, self.strategy, sent)',
    '        while True:  # done: idle until the shape moves on',
    '            gevent.sleep(3600)',
  );
  for (const c of classes) {
    add('', '', `class ${c.name}(_Replay):`, `    strategy = ${str(c.strategy.key)}`, `    users = ${c.strategy.inFlight}`);
  }
  add(
    '',
    '',
    `STRATEGIES = [${classes.map((c) => c.name).join(', ')}]`,
    '',
    '',
    'class StrategyByStrategy(LoadTestShape):',
    '    """Each chosen strategy in turn: its users start, send their share, and are stopped before the next."""',
    '',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.stage = 0',
    '',
    '    def tick(self):',
    '        chosen = [cls for cls in STRATEGIES if cls in self.runner.user_classes]',
    '        while self.stage < len(chosen):',
    '            current = chosen[self.stage]',
    '            if _sent.get(current.strategy, 0) < len(REQUESTS):',
    '                return (current.users, current.users, [current])',
    '            if self.get_current_user_count() > 0:',
    '                return (0, current.users, [current])',
    '            self.stage += 1',
    '        return None',
    '',
  );
  return lines.join('\n');
}
