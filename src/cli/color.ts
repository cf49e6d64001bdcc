export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * Whether to colour output: --no-color wins, then FORCE_COLOR (0-3, or on), then NO_COLOR,
 * then colour only on a terminal.
 */
export function colorLevel(flag: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): ColorLevel {
  if (!flag) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2' || force === '3') return Number(force) as ColorLevel;
    return 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!isTTY || env.TERM === 'dumb') return 0;
  return 1;
}
