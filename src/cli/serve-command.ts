import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { newSeed } from '../core/random.js';
import { describeFaults, hasFaults } from '../fixture-server/faults.js';
import { formatLatency } from '../fixture-server/latency.js';
import { listenFixtureServer } from '../fixture-server/server.js';
import { findPreset } from '../targets/presets/index.js';
import { OFFLINE_PLACEHOLDER_KEY } from '../targets/presets/tmdb.js';
import { wrapText } from '../export/format.js';
import { EXIT } from './exit-codes.js';
import { outputWidth } from './outputs.js';
import type { ServeOptions } from '../run/settings.js';

/** Example paths per preset, printed so users can point curl or their own code at the server. */
const EXAMPLES: Record<string, string[]> = {
  pokemon: ['/api/v2/pokemon/25', '/api/v2/pokemon/pikachu', '/api/v2/pokemon?limit=20&offset=0'],
  jsonplaceholder: ['/posts/1', '/users', '/todos/5', '/comments?postId=1'],
  tmdb: ['/3/movie/now_playing?language=en-US&page=1', '/3/movie/550'],
};

/** `async-bench serve [preset]`: the fixture server in the foreground until Ctrl-C. */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const preset = options.preset === undefined ? null : findPreset(options.preset);
  const latency = options.latency ?? preset?.defaultLatency ?? { minMs: 0, maxMs: 0 };
  const seed = options.seed ?? newSeed();
  let running;
  try {
    running = await listenFixtureServer({ latency, seed, faults: options.faults, port: options.port, http2: options.http2 });
  } catch (err) {
    const { code } = err as NodeJS.ErrnoException;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${options.port} is already in use on 127.0.0.1; pick another with --port, or 0 for a free one`);
    if (code === 'EACCES') throw new UsageError(`port ${options.port} needs privileges; pick one above 1023`);
    throw err;
  }
  const { baseUrl } = running;
  // The certificate made at start-up, in a file for the clients the user points here (its key
  // stays in memory), in a directory of its own: nothing already at a path of ours is followed.
  const caDir = running.caPem === null ? null : mkdtempSync(join(tmpdir(), 'async-bench-fixture-'));
  let caFile = caDir === null ? null : join(caDir, 'ca.pem');
  if (caFile !== null) {
    try {
      writeFileSync(caFile, running.caPem!, { mode: 0o644 });
    } catch (err) {
      process.stderr.write(`async-bench: cannot write the certificate to '${caFile}' (${(err as NodeJS.ErrnoException).code ?? 'error'}); clients cannot trust this server\n`);
      caFile = null;
    }
  }
  const names = preset ? [preset.name] : Object.keys(EXAMPLES);
  const width = outputWidth(process.stdout, process.env);
  /** A command to copy, indented; too wide for the terminal, it goes on with `\` onto more lines. */
  const command = (...words: string[]): string => {
    const lines = [`    ${words[0]!}`];
    for (const word of words.slice(1)) {
      const last = lines.length - 1;
      if (lines[last]!.length + 1 + word.length + 2 <= width) lines[last] += ` ${word}`;
      else lines.push(`      ${word}`);
    }
    return lines.join(' \\\n');
  };
  const curl = (...words: string[]): string => command('curl', ...(caFile === null ? [] : [`--cacert '${caFile}'`, ...(options.http2 ? ['--http2'] : [])]), ...words);
  const quoted = (url: string): string => `'${url}'`;
  const say = (text: string): string[] => wrapText(text, width, { indent: '    ' });
  const lines = [
    `async-bench fixture server on ${baseUrl}`,
    ...say(`  latency ${formatLatency(latency)}, seed ${seed}${hasFaults(options.faults) ? `, ${describeFaults(options.faults)}` : ''}`),
    ...(caFile === null
      ? running.caPem === null ? [] : ['  HTTP/2 and HTTP/1.1 over TLS']
      : [
          ...say(`  HTTP/2 and HTTP/1.1 over TLS; its certificate, made at start-up for 127.0.0.1 and localhost: ${caFile}`),
          command('async-bench', quoted(`${baseUrl}${EXAMPLES[names[0]!]?.[0] ?? '/'}`), '--http2', `--cacert '${caFile}'`),
        ]),
    '  try:',
    ...names.flatMap((name) =>
      (EXAMPLES[name] ?? []).map((path) => (name === 'tmdb' ? curl(`-H 'Authorization: Bearer ${OFFLINE_PLACEHOLDER_KEY}'`, quoted(baseUrl + path)) : curl(quoted(baseUrl + path)))),
    ),
    ...(names.includes('jsonplaceholder')
      ? [
          curl('-X POST', "-H 'Content-Type: application/json'", `-d '{"title":"hello","userId":1}'`, quoted(`${baseUrl}/posts`)),
          ...say('  writes (nothing is stored, as on JSONPlaceholder): POST /posts → 201 with the body and id 101; PUT or PATCH /posts/{id} → 200 with the body; DELETE /posts/{id} → 200 {}'),
        ]
      : []),
    '  Ctrl-C to stop.',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  if (caDir !== null) rmSync(caDir, { recursive: true, force: true });
  process.stderr.write('fixture server stopped\n');
  return EXIT.ok;
}
