// The README's captured examples: where they are, how their commands read, how a JSON capture is
// shortened and laid out, and what "the same shape" means. Shared by `npm run docs:examples`
// (scripts/docs-examples.mjs), which writes the captures from real runs, and by the test that
// runs each command again (test/e2e/readme-examples.test.ts).

/**
 * A captured example is a fenced block right under a `<!-- example -->` line. Options follow a
 * colon: `json` (the output is one JSON document, shortened and laid out compactly),
 * `stop-at=TEXT` (a command that runs until stopped, such as `serve`: stopped with SIGINT once
 * TEXT is printed), `scale=N` (the test divides the server's delays by N instead of 20; 1 runs them as they are).
 */
const MARKER = /^<!-- example(?::\s*(.*?))?\s*-->$/;

/**
 * @typedef {{ env: Record<string, string>, args: string[], stdoutTo: string | null }} Command
 * @typedef {{ text: string, command: Command, output: string }} Step
 * @typedef {{ json: boolean, stopAt: string | null, scale: number | null }} ExampleOptions
 * @typedef {{ line: number, options: ExampleOptions, fence: string, steps: Step[], start: number, end: number }} Example
 */

/** @param {string} text @returns {ExampleOptions} */
function parseOptions(text) {
  const options = { json: false, stopAt: null, scale: null };
  for (const part of (text ?? '').split(/,\s*/).filter(Boolean)) {
    if (part === 'json') options.json = true;
    else if (part.startsWith('stop-at=')) options.stopAt = part.slice('stop-at='.length);
    else if (part.startsWith('scale=')) options.scale = Number(part.slice('scale='.length));
    else throw new Error(`unknown example option '${part}'`);
  }
  return options;
}

/**
 * A command line as a shell would split it, for the simple forms the README uses: `NAME=value`
 * prefixes, single and double quotes, `\` at the end of a line, and `> file` at the end.
 * The program name (`npx async-bench` or `async-bench`) is dropped.
 * @param {string} text
 * @returns {Command}
 */
export function parseCommand(text) {
  const words = [];
  let word = null;
  let quote = null;
  const source = text.replace(/\\\n\s*/g, ' ');
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  const env = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift().split('=');
    env[name] = value.join('=');
  }
  if (words[0] === 'npx') words.shift();
  if (words.shift() !== 'async-bench') throw new Error(`not an async-bench command: ${text}`);
  let stdoutTo = null;
  const redirect = words.indexOf('>');
  if (redirect !== -1) {
    stdoutTo = words[redirect + 1];
    words.splice(redirect, 2);
  }
  return { env, args: words, stdoutTo };
}

/**
 * Every captured example of the README, with its commands (lines starting with `$ `, joined
 * with their `\` continuations) and the output shown under each.
 * @param {string} readme
 * @returns {Example[]}
 */
export function findExamples(readme) {
  const lines = readme.split('\n');
  const examples = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    const fence = lines[i + 1] ?? '';
    if (!fence.startsWith('```')) throw new Error(`README line ${i + 1}: an example marker must sit right above a fenced block`);
    const start = i + 2;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    const steps = [];
    for (let j = start; j < end; j++) {
      const line = lines[j];
      if (line.startsWith('$ ')) {
        let text = line.slice(2);
        while (text.endsWith('\\') && j + 1 < end) text += '\n' + lines[++j];
        steps.push({ text, command: parseCommand(text), output: '' });
      } else if (steps.length > 0) {
        const step = steps[steps.length - 1];
        step.output += (step.output === '' ? '' : '\n') + line;
      } else throw new Error(`README line ${j + 1}: an example starts with a "$ " command line`);
    }
    examples.push({ line: i + 1, options: parseOptions(marker[1]), fence, steps, start, end });
  }
  return examples;
}

/**
 * The README with each example's outputs replaced, in order (`outputs[k][s]`: example k, step s).
 * @param {string} readme
 * @param {string[][]} outputs
 */
export function replaceOutputs(readme, outputs) {
  const lines = readme.split('\n');
  const examples = findExamples(readme);
  // From the last, so that earlier line numbers stay right.
  for (let k = examples.length - 1; k >= 0; k--) {
    const example = examples[k];
    const body = example.steps.flatMap((step, s) => {
      const output = outputs[k][s].replace(/\n+$/, '');
      return [`$ ${step.text}`, ...(output === '' ? [] : output.split('\n'))];
    });
    lines.splice(example.start, example.end - example.start, ...body);
  }
  return lines.join('\n');
}

/**
 * A report shortened for the page: the first result of each strategy but sequential (whose
 * fields the others have too), two samples each, two auto steps. Every field stays; arrays get
 * shorter.
 */
export function shortenReport(doc) {
  const seen = new Set(['sequential']);
  const results = doc.results
    .filter((r) => (seen.has(r.strategy) ? false : (seen.add(r.strategy), true)))
    .map((r) => (r.samples ? { ...r, samples: r.samples.slice(0, 2) } : r));
  const out = { ...doc, results };
  if (doc.recommendation?.steps) out.recommendation = { ...doc.recommendation, steps: doc.recommendation.steps.slice(0, 2) };
  return out;
}

/**
 * JSON laid out for reading: an object or array goes on one line when it fits in `width`
 * columns at its indentation, and is broken one member a line otherwise.
 */
export function compactJson(value, width = 120, indent = '') {
  const flat = oneLine(value);
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= width) return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + compactJson(v, width, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, width, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

/** A JSON value on one line: `{ "a": 1, "b": [1, 2] }`. */
function oneLine(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  const entries = Object.entries(value);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(', ')} }`;
}

/** Every key path of a JSON value: "results[].latencyMs.p50"; the keys of a map (statusCodes) as "*". */
export function jsonPaths(value, prefix = '', paths = new Set()) {
  if (Array.isArray(value)) {
    for (const v of value) jsonPaths(v, `${prefix}[]`, paths);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const name = /^\d+$/.test(key) || MAP_PARENTS.test(prefix) ? '*' : key;
      paths.add(`${prefix}.${name}`);
      jsonPaths(v, `${prefix}.${name}`, paths);
    }
  }
  return paths;
}
/** Objects whose keys are data (status codes, error classes in examples), not field names. */
const MAP_PARENTS = /(statusCodes|errorExamples|methods)$/;

/** Where a sweep puts the server's limit: whether the grid brackets it depends on timing. */
const BRACKET_NOTE = /^(the server's limit seems to lie between|between # \(# failed\) and #)/;

/**
 * What must stay the same between a capture and a new run of its command: the lines, with every
 * number masked and the parts that move with timing set aside.
 * - a number (with its commas and decimals) reads "#"; runs of spaces, of table rules and of a
 *   waterfall's bars read as one;
 * - a prose line wrapped onto the next ("  " and a word) is joined back, since a number one
 *   digit longer moves the break;
 * - a waterfall's axis reads "<axis>" (its ticks follow the time taken);
 * - a verdict (faster, slower, about the same), the reason given for a recommended limit, the
 *   verdict of a -c auto step, whether a sweep's grid brackets the server's limit, and whether
 *   HTTP/2 changes which strategy is fastest depend on timing, not on the command;
 * - repeated lines of one shape count once (a sweep's rows, -c auto's steps).
 * @param {string} text
 * @returns {string[]}
 */
export function shapeOf(text) {
  const joined = [];
  for (const line of text.replace(/\r/g, '').replace(/\n+$/, '').split('\n')) {
    if (/^ {2}\S/.test(line) && joined.length > 0 && !/^[┌│├└]/.test(joined[joined.length - 1])) joined[joined.length - 1] += ' ' + line.trim();
    else joined.push(line);
  }
  const shapes = joined.map((line) =>
    line
      .replace(/\d+(?:[.,]\d+)*/g, '#')
      .replace(/^(recommended concurrency: #) \(.*\)$/, '$1 (…)')
      .replace(/^(auto: C=# → .*: ).*$/, '$1…')
      .replace(/^HTTP\/# (does not change|changes) the answer: .*$/, 'HTTP/# … the answer: …')
      .replace(/: (?:#x (?:faster|slower) than|about the same as|inconclusive, #x against) (sequential(?: · h#)?),? (?:#x )?\((.*?)\)(?:: the interval includes #)?/, ': … $1 ($2)')
      .replace(/^\s+[+-]+$/, '<axis>')
      .replace(/^\s+# m?s(\s+# m?s)*$/, '<axis labels>')
      .replace(/^( *# )([=x|█▏ ]+)(.*)$/, (_, label, bars, rest) => label + bars.trim().replace(/([=x|█▏])[=x|█▏ ]*/g, '$1') + rest)
      .replace(/─+/g, '─')
      .replace(/ +/g, ' ')
      .trimEnd(),
  );
  return shapes.filter((s, i) => !BRACKET_NOTE.test(s) && (i === 0 || s !== shapes[i - 1]));
}
