import type { JsonPlaceholderData } from '../data.js';
import { json as compactJson, notFound, type FixtureResponse, type Route } from './types.js';

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
