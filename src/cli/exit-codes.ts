/** The contract's exit codes. 128 + n for a stop signal comes from run/interrupt.ts (130, 143, 129). */
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  /** The result could not be written where the user asked (-o, --report, stdout): the same 1 as a failed check. */
  writeFailed: 1,
  usage: 2,
  interrupted: 130,
  internal: 70,
} as const;
