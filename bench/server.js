#!/usr/bin/env node
// The bench's HTTP server. It runs in its own process so that serving never takes CPU from the
// event loop being measured. Every response waits a fixed delay, then sends a fixed body.
//
//   node bench/server.js [--delay <ms>] [--bytes <n>] [--max-seconds <s>]
//
// Binds 127.0.0.1 on a free port and prints {"port":N,"pid":N} as one line on stdout. Exits when
// its standard input closes (the parent ended or let it go) or after --max-seconds, whichever
// comes first, so that a crashed bench never leaves it behind.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    delay: { type: 'string', default: '0' },
    bytes: { type: 'string', default: '256' },
    'max-seconds': { type: 'string', default: '300' },
  },
});

const delayMs = nonNegative('delay', values.delay);
const bytes = nonNegative('bytes', values.bytes);
const maxSeconds = nonNegative('max-seconds', values['max-seconds']);

function nonNegative(name, text) {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`bench/server.js: --${name} must be a number >= 0, got '${text}'\n`);
    process.exit(2);
  }
  return n;
}

// One JSON-looking body, built once: the server should cost as little CPU as it can.
function makeBody(size) {
  const head = '{"name":"async-bench","data":"';
  const tail = '"}';
  const fill = Math.max(0, size - head.length - tail.length);
  return Buffer.from(head + 'x'.repeat(fill) + tail);
}
const body = makeBody(bytes);
const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };

function send(res) {
  if (res.destroyed) return;
  res.writeHead(200, headers);
  res.end(body);
}

const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  if (delayMs > 0) setTimeout(send, delayMs, res);
  else send(res);
});

function shutdown(code) {
  server.close();
  server.closeAllConnections();
  process.exit(code);
}

// A full accept queue costs a 1 s SYN retry, so `all` over 1,000 URLs needs a deep backlog.
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  process.stdout.write(JSON.stringify({ port: server.address().port, pid: process.pid }) + '\n');
});
server.on('error', (err) => {
  process.stderr.write(`bench/server.js: ${err.message}\n`);
  process.exit(1);
});

process.stdin.on('end', () => shutdown(0));
process.stdin.on('close', () => shutdown(0));
process.stdin.on('error', () => shutdown(0));
process.stdin.resume();
setTimeout(() => {
  process.stderr.write(`bench/server.js: hard time limit of ${maxSeconds} s reached, exiting\n`);
  shutdown(3);
}, maxSeconds * 1000).unref();
