/** Request bodies given on the command line or in a request file: text, @file, or JSON. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { checkPlaceholders, hasPlaceholders } from '../core/request.js';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

/** A body file's bytes, or a usage error naming the file (never its content). */
export function readBodyFile(path: string, where: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const { code } = err as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : 'it cannot be read';
    throw new UsageError(`${where}: cannot read body file '${path}': ${reason}`);
  }
}

/**
 * Bytes as they will be sent: a Buffer, exactly as read; or, when they are UTF-8 text with
 * placeholders, the text (to be filled in per request).
 */
export function bodyTemplate(bytes: Buffer, where: string): Buffer | string {
  if (!bytes.includes('{{')) return bytes;
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return bytes;
  checkPlaceholders(text, where);
  return text;
}

/** Whether the text is JSON once its placeholders stand for sample values (the message never quotes the text: it may hold a secret). */
export function checkJson(text: string, where: string): void {
  try {
    JSON.parse(hasPlaceholders(text) ? checkPlaceholders(text, where) : text);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${where} is not valid JSON (check quotes, commas and brackets)`);
  }
}

/** -d / --data-json: the text as given, or @file's bytes; JSON is checked for --data-json. */
export function readBodyArgument(input: { text: string; json: boolean }): { body: Buffer | string; contentType: string } {
  const option = input.json ? '--data-json' : '--data';
  const fromFile = input.text.startsWith('@');
  let body: Buffer | string;
  if (fromFile) {
    const path = input.text.slice(1);
    if (path === '') throw new UsageError(`${option} @ needs a file name, e.g. ${option} @body.json`);
    body = bodyTemplate(readBodyFile(path, option), option);
  } else {
    body = input.text;
    checkPlaceholders(body, option);
  }
  if (input.json) checkJson(typeof body === 'string' ? body : body.toString('utf8'), fromFile ? `${option} file '${input.text.slice(1)}'` : option);
  return { body, contentType: input.json ? JSON_CONTENT_TYPE : FORM_CONTENT_TYPE };
}
