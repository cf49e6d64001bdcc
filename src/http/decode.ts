/**
 * Response bodies decoded as fetch decodes them: Content-Encoding gzip, deflate or br through
 * node:zlib, on the event loop (that CPU is part of what a caller pays), and gzip sent without
 * a Content-Encoding recognised by its magic bytes.
 */
import { createBrotliDecompress, createGunzip, createInflate, constants, type Gunzip } from 'node:zlib';

/** What the client asks for unless --no-compression (or the user's own Accept-Encoding). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** The first bytes of every gzip stream (RFC 1952). */
export function looksGzipped(chunk: Buffer): boolean {
  return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

export type Encoding = 'gzip' | 'deflate' | 'br';

/** The one coding we decode, from a Content-Encoding value; null for identity or an unknown one (passed through as is). */
export function encodingOf(header: string | string[] | undefined): Encoding | null {
  const value = (Array.isArray(header) ? header.join(',') : header ?? '').trim().toLowerCase();
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  if (value === 'br') return 'br';
  return null;
}

/**
 * One body's decoder: wire chunks in, decoded bytes counted (and kept when asked); `end`
 * calls back once every decoded byte is out, or with the error that broke the stream.
 */
export class BodyDecoder {
  decodedBytes = 0;
  private readonly stream: Gunzip;
  private done: ((err: Error | null) => void) | null = null;
  private failed: Error | null = null;

  constructor(encoding: Encoding, keep: Buffer[] | null) {
    // Lenient like browsers: a body cut short at the end of a stream is not an error in itself.
    const flush = { finishFlush: constants.Z_SYNC_FLUSH };
    this.stream = (encoding === 'br' ? createBrotliDecompress() : encoding === 'gzip' ? createGunzip(flush) : createInflate(flush)) as Gunzip;
    this.stream.on('data', (chunk: Buffer) => {
      this.decodedBytes += chunk.length;
      keep?.push(chunk);
    });
    this.stream.once('end', () => this.finish(null));
    this.stream.once('error', (err) => {
      this.failed = err;
      this.finish(err);
    });
  }

  write(chunk: Buffer): void {
    if (this.failed === null) this.stream.write(chunk);
  }

  end(callback: (err: Error | null) => void): void {
    this.done = callback;
    if (this.failed !== null) return this.finish(this.failed);
    this.stream.end();
  }

  destroy(): void {
    this.done = null;
    this.stream.destroy();
  }

  private finish(err: Error | null): void {
    const done = this.done;
    this.done = null;
    done?.(err);
  }
}
