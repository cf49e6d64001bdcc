import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// src/http/client.ts imports undici's Agent alone, through a path outside undici's exports map:
// a new undici minor may move it. This fails loudly, naming the path, before a user's run does.
describe('undici deep import', () => {
  const require = createRequire(import.meta.url);

  it('undici/lib/dispatcher/agent.js still exists and exports the Agent class', async () => {
    const mod = (await import('undici/lib/dispatcher/agent.js')) as { default: unknown };
    expect(typeof mod.default, 'undici/lib/dispatcher/agent.js moved or changed its export').toBe('function');
    const { Agent } = await import('undici');
    expect(mod.default).toBe(Agent);
  });

  it('undici/lib/core/connect.js still exports the socket connector', async () => {
    const mod = (await import('undici/lib/core/connect.js')) as { default: unknown };
    expect(typeof mod.default, 'undici/lib/core/connect.js moved or changed its export').toBe('function');
    const { buildConnector } = await import('undici');
    expect(mod.default).toBe(buildConnector);
  });

  it('undici/lib/dispatcher/pool.js still exports the Pool class (transport.ts builds every pool)', async () => {
    const mod = (await import('undici/lib/dispatcher/pool.js')) as { default: unknown };
    expect(typeof mod.default, 'undici/lib/dispatcher/pool.js moved or changed its export').toBe('function');
    const { Pool } = await import('undici');
    expect(mod.default).toBe(Pool);
  });

  it('package.json pins undici to the minor the deep import was checked against', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const range = pkg.dependencies.undici ?? '';
    expect(range, 'undici must be pinned with ~ (patch updates only)').toMatch(/^~\d+\.\d+\.\d+$/);
    const installed = (JSON.parse(readFileSync(require.resolve('undici/package.json'), 'utf8')) as { version: string }).version;
    expect(installed.split('.').slice(0, 2).join('.')).toBe(range.slice(1).split('.').slice(0, 2).join('.'));
  });
});
