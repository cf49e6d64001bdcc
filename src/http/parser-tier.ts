import { setFlagsFromString } from 'node:v8';

/**
 * Keeps undici's HTTP/1 parser (llhttp, a WebAssembly module) on V8's baseline compiler,
 * Liftoff. By default V8 soon recompiles the parser's hot function with TurboFan on a
 * background thread: about 140 ms of CPU and 36 MB of memory, spent while a strategy is
 * measured (on the client's own CPU when it has only one) and waited for at exit when it is
 * still going. The optimised parser saves about 0.4 µs a response, so it pays for itself only
 * after some 350,000 responses (bench/results/README.md). A V8 flag is the process's, so the CLI
 * sets it before its first connection compiles the parser; nothing else changes.
 */
export function keepParserOnBaselineCompiler(): void {
  setFlagsFromString('--liftoff-only');
}
