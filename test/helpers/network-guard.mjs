// The tests' network guard: no test reaches beyond loopback. Loaded by vitest (setupFiles, via
// network-guard.setup.ts) into every test process, and by `node --import` into every CLI the
// tests spawn (test/helpers/cli.ts). Plain JavaScript so node can preload it without a loader.
//
//   - A TCP (or TLS) connect to a non-loopback IP fails at once with ECONNREFUSED, before any
//     packet is sent; the message names this guard.
//   - A host name other than localhost is never looked up: connect and dns.lookup fail with
//     ENOTFOUND, as a name that does not resolve would. That keeps the product's `dns` class
//     (what the DNS-failure tests expect) while no query ever reaches a resolver.
//   - Loopback (127.0.0.0/8, ::1, localhost) and local sockets (paths, pipes) pass untouched.
// With NETWORK_GUARD_LOG=1 each refusal is also written to stderr, so that a test can see that
// a spawned process was guarded (the CLI itself prints only the error's class).
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const INSTALLED = Symbol.for('async-bench.test-network-guard');
const WHY = 'blocked by the test network guard (test/helpers/network-guard.mjs): tests reach 127.0.0.1 only';

function stripBrackets(host) {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** 127.0.0.0/8, ::1, and IPv4-mapped 127.x. */
export function isLoopbackIp(address) {
  const host = stripBrackets(String(address)).toLowerCase();
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (!net.isIPv6(host)) return false;
  // The URL parser writes any spelling of an IPv6 address the one canonical way.
  const canonical = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  return canonical === '::1' || /^::ffff:7f[0-9a-f]{2}:/.test(canonical);
}

/** Names that never leave the machine: localhost and *.localhost. */
export function isLoopbackName(name) {
  const host = stripBrackets(String(name)).toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost');
}

function guardError(code, host, syscall) {
  if (process.env.NETWORK_GUARD_LOG === '1') process.stderr.write(`network guard: refused ${code === 'ENOTFOUND' ? 'a lookup of' : 'a connect to'} ${host}\n`);
  const detail = code === 'ENOTFOUND' ? `getaddrinfo ENOTFOUND ${host}` : `connect ECONNREFUSED ${host}`;
  const err = new Error(`${detail} (${WHY})`);
  err.code = code;
  err.errno = code === 'ENOTFOUND' ? -3008 : -111;
  err.syscall = syscall;
  if (code === 'ENOTFOUND') err.hostname = host;
  else err.address = host;
  return err;
}

/** Why this host may not be reached (an error to fail with), or null when it may. */
function refusal(host, syscall) {
  if (host === undefined || host === null || host === '') return null; // node's default: localhost
  const h = stripBrackets(String(host));
  if (net.isIP(h)) return isLoopbackIp(h) ? null : guardError('ECONNREFUSED', h, syscall);
  return isLoopbackName(h) ? null : guardError('ENOTFOUND', h, 'getaddrinfo');
}

/** The options object of any form Socket#connect accepts (node passes its own normalized array). */
function connectOptions(args) {
  const [first, second] = args;
  if (Array.isArray(first)) return first[0] ?? {};
  if (first !== null && typeof first === 'object') return first;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { port: first, host: typeof second === 'string' ? second : undefined };
  }
  if (typeof first === 'string') return { path: first };
  return {};
}

function install() {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const options = connectOptions(args);
    const err = options.path === undefined ? refusal(options.host, 'connect') : null;
    if (err === null) return connect.apply(this, args);
    // Fail the way a refused or unresolvable connect does: an 'error' after the caller has
    // attached its listeners, and nothing sent.
    this.connecting = true;
    process.nextTick(() => this.destroy(err));
    return this;
  };

  const lookup = dns.lookup;
  dns.lookup = function guardedLookup(hostname, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    if (typeof hostname === 'string' && !net.isIP(hostname) && !isLoopbackName(hostname) && typeof cb === 'function') {
      process.nextTick(() => cb(guardError('ENOTFOUND', hostname, 'getaddrinfo')));
      return {};
    }
    return lookup.call(this, hostname, options, callback);
  };

  const promisesLookup = dns.promises.lookup;
  dns.promises.lookup = function guardedPromisesLookup(hostname, options) {
    if (typeof hostname === 'string' && !net.isIP(hostname) && !isLoopbackName(hostname)) {
      return Promise.reject(guardError('ENOTFOUND', hostname, 'getaddrinfo'));
    }
    return promisesLookup.call(this, hostname, options);
  };

  // `import { lookup } from 'node:dns'` and friends see the guarded functions too.
  syncBuiltinESMExports();
}

if (!globalThis[INSTALLED]) {
  globalThis[INSTALLED] = true;
  install();
}
