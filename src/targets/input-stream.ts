import { constants, createReadStream, open as openCallback } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { addAbortSignal, type Readable } from 'node:stream';
import { promisify } from 'node:util';

const openFd = promisify(openCallback);

/**
 * Opens a file given by the user (--file, --baseline) as a stream that `signal` ends at once,
 * whatever the file is. A FIFO is opened without blocking (a plain open waits in libuv's thread
 * pool until a writer comes, and nothing can cancel it) and read through the event loop like a
 * pipe. A regular file or a device (/dev/zero) is read in chunks, and stops between two.
 */
export async function openInputStream(path: string, signal?: AbortSignal): Promise<Readable> {
  signal?.throwIfAborted();
  const stats = await stat(path);
  let stream: Readable;
  if (stats.isFIFO()) {
    const fd = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK);
    stream = new Socket({ fd, readable: true, writable: false });
  } else {
    stream = createReadStream(path);
  }
  return abortable(stream, signal);
}

/** Stops reading a stream when `signal` aborts: the stream is destroyed with an AbortError. */
export function abortable<T extends Readable>(stream: T, signal?: AbortSignal): T {
  return signal ? addAbortSignal(signal, stream) : stream;
}

/**
 * A whole input file as text, abortable, refused early when it cannot be text: a NUL byte
 * (/dev/zero), or more than `maxBytes`.
 */
export async function readInputText(path: string, maxBytes: number, signal?: AbortSignal): Promise<string> {
  const input = await openInputStream(path, signal);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (chunk.includes(0)) throw new InputNotTextError(path, 'it contains NUL bytes');
      size += chunk.length;
      if (size > maxBytes) throw new InputNotTextError(path, `it is larger than ${Math.round(maxBytes / 2 ** 20)} MB`);
      chunks.push(chunk);
    }
  } finally {
    input.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An input file that cannot be what it should be (binary, endless): the caller words the usage error. */
export class InputNotTextError extends Error {
  override name = 'InputNotTextError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`'${path}' is not text: ${reason}`);
  }
}
