import { isRecord, pickFromBodies, randomIds, serverText, shorten, simplePreset, type SimplePreset } from '../preset.js';

/** JSONPlaceholder serves posts 1..100. */
export const POST_COUNT = 100;

/** The body of each generated write: its placeholders make every request's body its own. */
const POST_TEMPLATE = '{"title":"async-bench post {{seq}}","body":"Written by async-bench, request {{seq}} ({{uuid}}).","userId":{{rand:1-10}}}';

export const jsonplaceholderPreset: SimplePreset = simplePreset({
  name: 'jsonplaceholder',
  liveBaseUrl: 'https://jsonplaceholder.typicode.com',
  description: 'GET /posts/{random id 1..100}; with -X POST, PUT, PATCH or DELETE: writes to /posts',
  keyVariable: null,
  defaultLatency: { minMs: 50, maxMs: 150 },
  sampleSize: 3,
  buildUrls({ count, seed, baseUrl }) {
    return randomIds(count, seed, POST_COUNT).map((id) => `${baseUrl}/posts/${id}`);
  },
  writes(method, { count, seed, baseUrl }) {
    // A new post per request: POST /posts; the others change or delete an existing post.
    if (method === 'POST') return { urls: [`${baseUrl}/posts`], body: POST_TEMPLATE, contentType: 'application/json; charset=UTF-8' };
    const urls = randomIds(count, seed, POST_COUNT).map((id) => `${baseUrl}/posts/${id}`);
    if (method === 'DELETE') return { urls, body: null, contentType: null };
    return { urls, body: POST_TEMPLATE, contentType: 'application/json; charset=UTF-8' };
  },
  sample(bodies) {
    const titles = pickFromBodies(bodies, (v) => {
      const title = isRecord(v) ? serverText(v.title) : undefined;
      return title === undefined ? undefined : `"${shorten(title, 40)}"`;
    }).slice(0, 3);
    return titles.length > 0 ? `Posts: ${titles.join(', ')}` : null;
  },
});
