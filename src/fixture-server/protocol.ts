/** What the CLI and its fixture server agree on, apart from the routes of the real APIs. */

/** Answered at once, outside the latency model and the faults: for readiness and priming. */
export const HEALTH_PATH = '/__health';

/** Sent by async-bench on retries to its own fixture server, so that a retry meets a fresh fault draw. */
export const ATTEMPT_HEADER = 'x-async-bench-attempt';

/** With --capacity: how many requests the fixture server had in service when this one started. */
export const IN_SERVICE_HEADER = 'x-async-bench-in-service';
