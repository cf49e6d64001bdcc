/** The contract's exit codes. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, interrupted: 130, internal: 70 } as const;
