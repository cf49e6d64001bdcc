/**
 * --cpu-work: the synchronous work user code does with a response (parsing, mapping), as a
 * busy loop over the body for a fixed time. Not a sleep: it holds the thread, so the event
 * loop can run nothing else meanwhile, which is the lesson.
 */
import type { Clock } from './types.js';

/** Characters hashed between two readings of the clock: a few microseconds of work. */
const CHARS_PER_CHECK = 4_096;
/** What is hashed when a response has no body (a 204): the work is time, not bytes. */
const EMPTY_BODY = ' ';

/**
 * Hashes the body over and over until `ms` have passed on `clock`; returns the hash, so the
 * loop cannot be optimised away. Never returns before `ms`, overshoots by one check at most.
 */
export function busyWork(body: string, ms: number, clock: Clock): number {
  const text = body.length > 0 ? body : EMPTY_BODY;
  const start = clock();
  let hash = 0x811c9dc5;
  let i = 0;
  do {
    for (let k = 0; k < CHARS_PER_CHECK; k++) {
      hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
      if (++i === text.length) i = 0;
    }
  } while (clock() - start < ms);
  return hash >>> 0;
}
