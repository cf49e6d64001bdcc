/**
 * Text a server gave us (a Pokémon's name, a movie title, a status text, an error message) is
 * printed to terminals and written to reports. A terminal obeys escape sequences: "ESC]52;…"
 * writes the clipboard, "ESC[2J" clears the screen, and bidi overrides make text read
 * differently from what it is. None of that may pass through.
 */

/**
 * C0 controls but tab, line feed and carriage return; DEL; C1 controls (0x80-0x9f, among them
 * CSI 0x9b and OSC 0x9d); the bidi embeddings, overrides, isolates and marks; and the zero-width
 * format characters that can hide text.
 */
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Line breaks and tabs, which would break a one-line sample apart. */
const BREAKS = /[\t\n\r\u2028\u2029]/g;

/** Server text made safe to print on one line: control characters removed, line breaks and tabs as spaces. */
export function cleanServerText(text: string): string {
  return text.replace(UNSAFE, '').replace(BREAKS, ' ');
}
