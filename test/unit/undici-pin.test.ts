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

  it('undici/lib/dispatcher/pool-base.js and core/symbols.js still hold what NegotiatingPool overrides (negotiate.ts)', async () => {
    const base = (await import('undici/lib/dispatcher/pool-base.js')) as Record<string, unknown>;
    for (const name of ['kClients', 'kGetDispatcher', 'kNeedDrain']) expect(typeof base[name], `pool-base.js no longer exports ${name}`).toBe('symbol');
    const symbols = (await import('undici/lib/core/symbols.js')).default as Record<string, unknown>;
    for (const name of ['kDispatch', 'kDestroy', 'kHTTP2Session']) expect(typeof symbols[name], `core/symbols.js no longer has ${name}`).toBe('symbol');
    const { Pool } = await import('undici');
    const proto = Pool.prototype as unknown as Record<symbol, unknown>;
    for (const key of [base.kGetDispatcher, symbols.kDispatch, symbols.kDestroy]) expect(typeof proto[key as symbol], 'Pool no longer has a method NegotiatingPool overrides').toBe('function');
  });

  it('package.json pins undici to the minor the deep import was checked against', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const range = pkg.dependencies.undici ?? '';
    expect(range, 'undici must be pinned with ~ (patch updates only)').toMatch(/^~\d+\.\d+\.\d+$/);
    const installed = (JSON.parse(readFileSync(require.resolve('undici/package.json'), 'utf8')) as { version: string }).version;
    expect(installed.split('.').slice(0, 2).join('.')).toBe(range.slice(1).split('.').slice(0, 2).join('.'));
  });
});
