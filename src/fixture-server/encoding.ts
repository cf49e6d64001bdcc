import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip' | 'identity';

/** Bodies shorter than this go as they are: compressing them would make them longer. */
export const MIN_COMPRESSED_LENGTH = 256;
/** The compressed bytes kept (identity bodies count too); the least recently used go first. */
const DEFAULT_CACHE_BYTES = 96 * 1024 * 1024;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * The encoding to answer with, from the request's Accept-Encoding: br, then gzip, else
 * identity (a coding listed with q=0 is refused, as RFC 9110 says).
 */
export function negotiateEncoding(acceptEncoding: string | string[] | undefined): ContentEncoding {
  const text = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding ?? '';
  const accepted = new Set<string>();
  for (const part of text.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (name !== '' && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('x-gzip')) return 'gzip';
  return 'identity';
}

/** A strong validator: the same bytes give the same etag, whatever the encoding sent. */
export function strongEtag(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

export interface PreparedBody {
  identity: Buffer;
  etag: string;
}

interface Entry extends PreparedBody {
  encoded: Partial<Record<'br' | 'gzip', Promise<Buffer>>>;
  bytes: number;
}

export interface BodyStore {
  prepare(body: string): PreparedBody;
  /** The body in the given encoding, compressed once (off the event loop) and then kept. */
  encode(body: PreparedBody, encoding: ContentEncoding): Promise<Buffer>;
  readonly cachedBytes: number;
}

/**
 * Keeps bodies by etag with their compressed forms, so that the server compresses each body
 * once and stays far from being the bottleneck. Brotli runs at quality 5, as CDNs do on the fly
 * (quality 11, zlib's default, takes tens of milliseconds for one Pokémon).
 */
export function createBodyStore(maxBytes = DEFAULT_CACHE_BYTES): BodyStore {
  const entries = new Map<string, Entry>();
  let cachedBytes = 0;
  const touch = (entry: Entry): void => {
    entries.delete(entry.etag);
    entries.set(entry.etag, entry);
  };
  const evict = (): void => {
    for (const [etag, entry] of entries) {
      if (cachedBytes <= maxBytes || entries.size <= 1) break;
      entries.delete(etag);
      cachedBytes -= entry.bytes;
    }
  };
  return {
    prepare(body) {
      const identity = Buffer.from(body);
      const etag = strongEtag(identity);
      const found = entries.get(etag);
      if (found) {
        touch(found);
        return found;
      }
      const entry: Entry = { identity, etag, encoded: {}, bytes: identity.length };
      entries.set(etag, entry);
      cachedBytes += entry.bytes;
      evict();
      return entry;
    },
    encode(body, encoding) {
      if (encoding === 'identity' || body.identity.length < MIN_COMPRESSED_LENGTH) return Promise.resolve(body.identity);
      const entry = entries.get(body.etag);
      const cached = entry?.encoded[encoding];
      if (cached) return cached;
      const compressed =
        encoding === 'br'
          ? brotliAsync(body.identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.identity.length } })
          : gzipAsync(body.identity, { level: 6 });
      if (entry) {
        entry.encoded[encoding] = compressed;
        void compressed.then(
          (bytes) => {
            entry.bytes += bytes.length;
            cachedBytes += bytes.length;
            evict();
          },
          () => {
            delete entry.encoded[encoding];
          },
        );
      }
      return compressed;
    },
    get cachedBytes() {
      return cachedBytes;
    },
  };
}
