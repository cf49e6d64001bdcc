/**
 * Bad usage or input, found before any request is sent. The CLI prints its message as one
 * line on stderr and exits with 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** How much of the user's input a message quotes at most, in characters. */
export const QUOTE_MAX_CHARS = 200;

/**
 * User input as a message shows it: control characters as \xNN, and cut to QUOTE_MAX_CHARS
 * with "…", so that a 20 MB line or argument never comes back as a 20 MB error line.
 */
export function clipInput(text: string, max = QUOTE_MAX_CHARS): string {
  const cut = text.length > max;
  let shown = cut ? text.slice(0, max) : text;
  // Never leave half of a surrogate pair at the cut.
  if (cut && /[\ud800-\udbff]$/.test(shown)) shown = shown.slice(0, -1);
  shown = shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return cut ? `${shown}…` : shown;
}

/** User input quoted in a message: 'text', clipped as clipInput does. Every message that echoes input uses it. */
export function quoteInput(text: string, max = QUOTE_MAX_CHARS): string {
  return `'${clipInput(text, max)}'`;
}

/** The candidate closest to `input` by edit distance, when it is close enough to be a typo. */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const prefixed = lower.length >= 2 ? candidates.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
