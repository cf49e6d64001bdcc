// A test's view of events inside a spawned CLI, so that a test acts on an event, never after a
// guessed delay. Preloaded (`node --import`) into every CLI the tests spawn (test/helpers/cli.ts);
// inert unless TEST_PROBE_FD names an open file descriptor, to which it writes one line per event:
//
//   sigint-listener            the process listens for SIGINT from now on (a Ctrl-C is the CLI's
//                              to handle, no longer node's default exit)
//   request N METHOD PATH      the Nth HTTP request written by a client socket (N from 1), e.g.
//                              "request 2 GET /api/v2/pokemon/25": it is in flight from here on
//
// Main thread only (the offline fixture server answers from a worker thread and sends nothing).
import { writeSync } from 'node:fs';
import net from 'node:net';
import { isMainThread } from 'node:worker_threads';

const fd = Number(process.env.TEST_PROBE_FD);

if (isMainThread && Number.isInteger(fd) && fd > 2) {
  const tell = (line) => {
    try {
      writeSync(fd, `${line}\n`);
    } catch {
      // the test stopped listening: nothing to tell
    }
  };

  let listening = false;
  // Node starts watching the signal before it adds the listener, both in this one synchronous call.
  process.on('newListener', (event) => {
    if (event !== 'SIGINT' || listening) return;
    listening = true;
    tell('sigint-listener');
  });

  const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/;
  let requests = 0;
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function probedWrite(chunk, ...rest) {
    const head = typeof chunk === 'string' ? chunk.slice(0, 2048) : Buffer.isBuffer(chunk) ? chunk.subarray(0, 2048).toString('latin1') : '';
    const line = REQUEST_LINE.exec(head);
    if (line) tell(`request ${++requests} ${line[1]} ${line[2]}`);
    return write.call(this, chunk, ...rest);
  };
}
