/**
 * The URL of a built module under dist/, for code that must start a worker thread on a file.
 * Every module sits two levels below the package root (src/<dir>/<file>.ts, dist/<dir>/<file>.js,
 * and the CLI bundle at dist/cli/main.js), so one relative path serves all of them: under
 * vitest (from src/) and from the build alike, the worker is the built file.
 */
export function builtModule(path: string): URL {
  return new URL(`../../dist/${path}`, import.meta.url);
}
