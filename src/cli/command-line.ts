/**
 * The command line that reproduces a run, as the report shows it: the arguments as typed, with
 * every secret shown as *** (URL user info and secret parameters, secret headers, secret fields
 * of a body, a proxy's credentials), and the seed added when it was random.
 */
import { REDACTED, isSecretHeader, redactBodyText, redactUrl, type RedactionPolicy } from '../core/redact.js';
import type { RunOptions } from '../run/settings.js';

type Redactor = (value: string, policy: RedactionPolicy) => string;

function header(value: string, policy: RedactionPolicy): string {
  const colon = value.indexOf(':');
  if (colon === -1) return value;
  const name = value.slice(0, colon).trim();
  return isSecretHeader(name, policy) ? `${name}: ${REDACTED}` : value;
}

function body(value: string, policy: RedactionPolicy): string {
  return value.startsWith('@') ? value : redactBodyText(value, policy);
}

/** The options whose value may hold a secret, and how it is hidden. */
const REDACTORS: Record<string, Redactor> = {
  '-H': header,
  '--header': header,
  '-d': body,
  '--data': body,
  '--data-json': body,
  '--proxy': redactUrl,
  '--base-url': redactUrl,
};

/** Short options that take a value: what follows them in a group (-n20, -qH…) is that value. */
const SHORT_WITH_VALUE = new Set(['-n', '-c', '-s', '-r', '-w', '-f', '-X', '-d', '-o', '-H']);

/** Characters a POSIX shell reads as themselves; any other gets the argument single-quoted. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./^-]+$/;

export function shellQuote(arg: string): string {
  return SHELL_SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The arguments with every secret hidden; anything else that may be a URL goes through redactUrl. */
export function redactArguments(args: readonly string[], policy: RedactionPolicy): string[] {
  const out: string[] = [];
  let pending: Redactor | null = null;
  let operands = false;
  for (const arg of args) {
    if (pending !== null) {
      out.push(pending(arg, policy));
      pending = null;
    } else if (operands || !arg.startsWith('-') || arg === '-') {
      out.push(redactUrl(arg, policy));
    } else if (arg === '--') {
      operands = true;
      out.push(arg);
    } else if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = equals === -1 ? arg : arg.slice(0, equals);
      const redactor = REDACTORS[name];
      if (redactor === undefined) out.push(redactUrl(arg, policy));
      else if (equals === -1) {
        out.push(arg);
        pending = redactor;
      } else out.push(`${name}=${redactor(arg.slice(equals + 1), policy)}`);
    } else {
      // A group of short options (-qk, -n20, -HName: value): the first that takes a value takes the rest.
      let i = 1;
      while (i < arg.length && !SHORT_WITH_VALUE.has(`-${arg[i]}`)) i++;
      const name = `-${arg[i] ?? ''}`;
      const redactor = REDACTORS[name];
      const rest = arg.slice(i + 1);
      if (i >= arg.length) out.push(arg);
      else if (rest === '') {
        out.push(arg);
        pending = redactor ?? ((value) => redactUrl(value, policy));
      } else out.push(arg.slice(0, i + 1) + (redactor ?? redactUrl)(rest, policy));
    }
  }
  return out;
}

/**
 * "async-bench pokemon --offline -n 20 -H 'Authorization: ***' --seed 7": what to type to run
 * the same workload again. A random seed is added; a base URL that came from the environment too.
 */
export function reproducingCommand(args: readonly string[], options: Pick<RunOptions, 'seed' | 'baseUrl' | 'baseUrlFromEnv'>, seed: number, usesBaseUrl: boolean, policy: RedactionPolicy): string {
  const words = ['async-bench', ...redactArguments(args, policy)];
  if (options.baseUrlFromEnv && options.baseUrl !== null && usesBaseUrl) words.push('--base-url', redactUrl(options.baseUrl, policy));
  if (options.seed === null) words.push('--seed', String(seed));
  return words.map(shellQuote).join(' ');
}
