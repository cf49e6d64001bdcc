import { isRecord, pickFromBodies, randomIds, serverText, shorten, simplePreset, type SimplePreset } from '../preset.js';

/** JSONPlaceholder serves posts 1..100. */
export const POST_COUNT = 100;

export const jsonplaceholderPreset: SimplePreset = simplePreset({
  name: 'jsonplaceholder',
  liveBaseUrl: 'https://jsonplaceholder.typicode.com',
  description: 'GET /posts/{random id 1..100}',
  keyVariable: null,
  defaultLatency: { minMs: 50, maxMs: 150 },
  sampleSize: 3,
  buildUrls({ count, seed, baseUrl }) {
    return randomIds(count, seed, POST_COUNT).map((id) => `${baseUrl}/posts/${id}`);
  },
  sample(bodies) {
    const titles = pickFromBodies(bodies, (v) => {
      const title = isRecord(v) ? serverText(v.title) : undefined;
      return title === undefined ? undefined : `"${shorten(title, 40)}"`;
    }).slice(0, 3);
    return titles.length > 0 ? `Posts: ${titles.join(', ')}` : null;
  },
});
