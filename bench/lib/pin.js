// CPU pinning for the peer rows: the server on one CPU, the client measured on another, so that
// neither takes CPU from the other (and a client's helper threads share its one CPU, as a
// single-core machine would give it). Only with taskset and two or more CPUs this process may use.
import { spawnSync } from 'node:child_process';

let cached;

/** The CPUs this process may run on (its affinity list), or null when taskset cannot say. */
function allowedCpus() {
  const r = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return null;
  // "pid 123's current affinity list: 0,1,4-7"
  const list = r.stdout.split(':').pop().trim();
  const cpus = [];
  for (const part of list.split(',')) {
    const [lo, hi = lo] = part.split('-').map(Number);
    for (let c = lo; c <= hi; c++) cpus.push(c);
  }
  return cpus.every(Number.isInteger) ? cpus : null;
}

/**
 * { server, client, note }: command prefixes (`['taskset', '-c', '0']`) to start each side with,
 * empty when the sides cannot be pinned apart; `note` says which.
 */
export function pinning() {
  if (cached === undefined) {
    const cpus = allowedCpus();
    if (cpus === null) cached = { server: [], client: [], note: 'not pinned (taskset not found)' };
    else if (cpus.length < 2) cached = { server: [], client: [], note: `not pinned (one CPU: ${cpus.join(',')})` };
    else {
      const [server, client] = cpus;
      cached = { server: ['taskset', '-c', String(server)], client: ['taskset', '-c', String(client)], note: `server pinned to CPU ${server}, client to CPU ${client} (taskset)` };
    }
  }
  return cached;
}
