/**
 * The LSPS5 benchmark's notification delivery service, in a worker thread: its own event loop, so the HTTPS
 * server's work is not counted in the measured thread's event-loop delay (it still shares the 2 cores).
 * Posts `{ port }` once listening, then `{ calls }` after each call.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startReceiver, type TestCa } from '../../../service/test/lsps5/support/https-receiver.js';

const rx = await startReceiver(workerData as TestCa);
let calls = 0;
rx.answer(() => {
  calls++;
  if (calls % 100 === 0 || calls < 100) parentPort!.postMessage({ calls });
  return 200;
});
parentPort!.on('message', (m: { close?: boolean; count?: boolean }) => {
  if (m.count) parentPort!.postMessage({ calls, connections: rx.connections });
  if (m.close) void rx.close().then(() => process.exit(0));
});
parentPort!.postMessage({ port: rx.port });
