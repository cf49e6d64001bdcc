/** One answer of the fixture server. */
export interface FixtureResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface FixtureRequest {
  /** Path without the query string, e.g. "/api/v2/pokemon/25". */
  path: string;
  query: URLSearchParams;
  /** "http://127.0.0.1:PORT": absolute links in bodies point back at this server. */
  origin: string;
  headers: Record<string, string | string[] | undefined>;
  /** Upper case; GET when not given. */
  method?: string;
  /** The request body as text (writes only). */
  body?: string;
}

/** Answers the requests it knows, null for the others. */
export type Route = (request: FixtureRequest) => FixtureResponse | null;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface JsonOptions {
  /** Indentation of the JSON text: json-server (JSONPlaceholder) answers with 2 spaces. */
  indent?: number;
  /** The API's cache-control header. */
  cacheControl?: string;
}

export function json(body: unknown, status = 200, options: JsonOptions = {}): FixtureResponse {
  const headers: Record<string, string> = { 'content-type': JSON_CONTENT_TYPE };
  if (options.cacheControl !== undefined) headers['cache-control'] = options.cacheControl;
  return { status, body: JSON.stringify(body, null, options.indent), headers };
}

export function notFound(text = 'Not Found'): FixtureResponse {
  return { status: 404, body: text, headers: { 'content-type': 'text/plain; charset=utf-8' } };
}
