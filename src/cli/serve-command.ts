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
    running = await listenFixtureServer({ latency, seed, faults: options.faults, port: options.port });
  } catch (err) {
    const { code } = err as NodeJS.ErrnoException;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${options.port} is already in use on 127.0.0.1; pick another with --port, or 0 for a free one`);
    if (code === 'EACCES') throw new UsageError(`port ${options.port} needs privileges; pick one above 1023`);
    throw err;
  }
  const { baseUrl } = running;
  const names = preset ? [preset.name] : Object.keys(EXAMPLES);
  const width = outputWidth(process.stdout, process.env);
  /** A curl command to copy; too wide for the terminal, it goes on with `\` onto more lines. */
  const curl = (...parts: string[]): string => {
    const lines = ['    curl'];
    for (const part of parts) {
      const last = lines.length - 1;
      if (lines[last]!.length + 1 + part.length + 2 <= width || lines[last]!.trim() === 'curl') lines[last] += ` ${part}`;
      else lines.push(`      ${part}`);
    }
    return lines.join(' \\\n');
  };
  const quoted = (url: string): string => `'${url}'`;
  const lines = [
    `async-bench fixture server on ${baseUrl}`,
    ...wrapText(`  latency ${formatLatency(latency)}, seed ${seed}${hasFaults(options.faults) ? `, ${describeFaults(options.faults)}` : ''}`, width, { indent: '    ' }),
    '  try:',
    ...names.flatMap((name) =>
      (EXAMPLES[name] ?? []).map((path) => (name === 'tmdb' ? curl(`-H 'Authorization: Bearer ${OFFLINE_PLACEHOLDER_KEY}'`, quoted(baseUrl + path)) : curl(quoted(baseUrl + path)))),
    ),
    ...(names.includes('jsonplaceholder')
      ? [
          curl('-X POST', "-H 'Content-Type: application/json'", `-d '{"title":"hello","userId":1}'`, quoted(`${baseUrl}/posts`)),
          ...wrapText('  writes (nothing is stored, as on JSONPlaceholder): POST /posts → 201 with the body and id 101; PUT or PATCH /posts/{id} → 200 with the body; DELETE /posts/{id} → 200 {}', width, { indent: '    ' }),
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
  process.stderr.write('fixture server stopped\n');
  return EXIT.ok;
}
