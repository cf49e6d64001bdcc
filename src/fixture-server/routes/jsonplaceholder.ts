import type { JsonPlaceholderData } from '../data.js';
import { json as compactJson, notFound, type FixtureRequest, type FixtureResponse, type Route } from './types.js';

/** json-server, which JSONPlaceholder runs on, indents with 2 spaces; its CDN keeps a body 12 hours. */
const JSON_SERVER_FORMAT = { indent: 2, cacheControl: 'max-age=43200' };
const json = (body: unknown, status = 200): FixtureResponse => compactJson(body, status, JSON_SERVER_FORMAT);

type Resource = keyof JsonPlaceholderData;
const RESOURCES: readonly Resource[] = ['posts', 'users', 'todos', 'comments'];
/** Which field of a child resource links it to its parent, as in /posts/1/comments. */
const NESTED: Record<string, { child: Resource; key: string }> = {
  'posts/comments': { child: 'comments', key: 'postId' },
  'users/posts': { child: 'posts', key: 'userId' },
  'users/todos': { child: 'todos', key: 'userId' },
};

/** The fields of a write's body: JSON, or a form (a=1&b=2) as JSONPlaceholder also takes; {} for anything else. */
function bodyFields(request: FixtureRequest): Record<string, unknown> {
  const text = request.body ?? '';
  const type = String(request.headers['content-type'] ?? '');
  if (type.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * JSONPlaceholder's fake writes: POST /{resource} → 201 with the body and the next id (101 for
 * posts); PUT /{resource}/{id} → 200 with the body and the id; PATCH → the item with the body
 * merged in; DELETE → 200 {}. Nothing is stored, as on the real service.
 */
export function jsonplaceholderWriteRoute(data: JsonPlaceholderData): Route {
  return (request): FixtureResponse | null => {
    const parts = request.path.split('/').filter(Boolean);
    const resource = parts[0] as Resource | undefined;
    if (resource === undefined || !RESOURCES.includes(resource) || parts.length > 2) return null;
    const items = data[resource] as Array<Record<string, unknown>>;
    const method = request.method ?? 'GET';
    if (parts.length === 1) return method === 'POST' ? json({ ...bodyFields(request), id: items.length + 1 }, 201) : null;
    const id = Number(parts[1]);
    const item = Number.isInteger(id) ? items.find((it) => it.id === id) : undefined;
    if (method === 'DELETE') return json({});
    if (!item) return json({}, 404);
    if (method === 'PUT') return json({ ...bodyFields(request), id });
    if (method === 'PATCH') return json({ ...item, ...bodyFields(request), id });
    return null;
  };
}

/** JSONPlaceholder: /posts, /users, /todos, /comments, each also /{id}, and the nested lists. */
export function jsonplaceholderRoute(data: JsonPlaceholderData): Route {
  return (request): FixtureResponse | null => {
    const parts = request.path.split('/').filter(Boolean);
    const resource = parts[0] as Resource | undefined;
    if (resource === undefined || !RESOURCES.includes(resource)) return null;
    const items = data[resource] as Array<Record<string, unknown>>;
    if (parts.length === 1) {
      // Filters such as /comments?postId=1 compare the field's text form.
      const filters = [...request.query.entries()];
      return json(items.filter((item) => filters.every(([k, v]) => String(item[k]) === v)));
    }
    const id = Number(parts[1]);
    const item = Number.isInteger(id) ? items.find((it) => it.id === id) : undefined;
    if (parts.length === 2) return item ? json(item) : json({}, 404);
    const nested = NESTED[`${resource}/${parts[2]}`];
    if (parts.length === 3 && nested && item) {
      return json((data[nested.child] as Array<Record<string, unknown>>).filter((child) => child[nested.key] === id));
    }
    return notFound();
  };
}
