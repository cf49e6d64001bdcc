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

export function json(body: unknown, status = 200): FixtureResponse {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8' } };
}

export function notFound(text = 'Not Found'): FixtureResponse {
  return { status: 404, body: text, headers: { 'content-type': 'text/plain; charset=utf-8' } };
}
