// Every row of the bench, in the order they run and print.
import * as efficiency40 from './efficiency-40.js';
import * as latencyBound from './latency-bound.js';
import * as fanOut from './fan-out.js';
import * as overhead from './overhead.js';
import * as startUp from './start-up.js';
import * as memory from './memory.js';
import * as aiohttpPeer from './aiohttp-peer.js';
import * as peers from './peers.js';
import * as sigint from './sigint.js';
import * as baselineGate from './baseline-gate.js';
import * as scale1m from './scale-1m.js';
import * as scaleAll from './scale-all.js';
import * as urlList100k from './url-list-100k.js';
import * as tour from './tour.js';

export const ROWS = [efficiency40, latencyBound, fanOut, overhead, startUp, memory, peers, aiohttpPeer, sigint, urlList100k, scale1m, scaleAll, baselineGate, tour];
