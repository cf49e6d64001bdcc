import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The value of `variable` from the environment, or else from a .env file in the working
 * directory (read with Node's own loader, which never overrides variables already set).
 */
export function readApiKey(variable: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
  const fromEnv = env[variable]?.trim();
  if (fromEnv) return fromEnv;
  const dotenv = resolve(cwd, '.env');
  if (env === process.env && existsSync(dotenv)) {
    try {
      process.loadEnvFile(dotenv);
    } catch {
      return null; // an unreadable .env is the same as none: the missing-key message says what to do
    }
    const fromFile = process.env[variable]?.trim();
    if (fromFile) return fromFile;
  }
  return null;
}
