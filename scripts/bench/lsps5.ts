/**
 * The LSPS5 part of `npm run bench:service` (BENCH_PART=lsps5 alone): webhook notifications delivered per
 * second to a local HTTPS receiver, and the event-loop delay of the LSP's thread while a burst of them goes
 * out (goal: delivery never stalls the node, p99 < 20 ms), against this run's baselines: the dispatcher's
 * `lsps0.list_protocols` rate and the event-loop delay with nothing to do.
 *
 * The LSP side is real: an LDK node (its key signs every notification through `signMessage`), the LSPS5
 * service on a SQLite file, the LSPS0 dispatcher, and HTTPS delivery with certificate verification (a CA made
 * for the run, trusted as NODE_EXTRA_CA_CERTS would be) and the destination check (loopback allowed, as
 * JITLSP_LSPS5_ALLOW_LOCAL_WEBHOOKS does). The receiver runs in a worker thread. The burst is one
 * `payment_incoming` for each of BENCH_LSPS5_CLIENTS (1,000) offline clients with one webhook each.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { SandboxChain } from '@jitlsp/engine/chain';
import { getPublicKey, toHex } from '@jitlsp/shared/crypto';
import { Database, WebhookRepository } from '@jitlsp/service/db';
import { Lsps0Dispatcher } from '@jitlsp/service/lsps0';
import { Lsps5Service, WebhookDelivery } from '@jitlsp/service/lsps5';
import { makeTestCa } from '../../service/test/lsps5/support/https-receiver.js';
import { benchDir, startBenchNode } from './support/nodes.js';
import { fmt, pause } from './support/stats.js';

const CLIENTS = Number(process.env.BENCH_LSPS5_CLIENTS ?? 1000);
const LIST_PROTOCOLS_CALLS = 20_000;
const GOAL_P99_MS = 20;
const enc = new TextEncoder();

/** Event-loop delay over `fn` (ms): p50, p99, max. Resolution 1 ms. */
async function loopDelay(fn: () => Promise<void>): Promise<{ p50: number; p99: number; max: number; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const t0 = performance.now();
  h.enable();
  await fn();
  h.disable();
  const ms = performance.now() - t0;
  return { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6, ms };
}

function clientId(i: number): string {
  const k = new Uint8Array(32);
  new DataView(k.buffer).setUint32(28, i + 1);
  k[0] = 0x5a;
  return toHex(getPublicKey(k));
}

export async function lsps5Bench(chain: SandboxChain, rows: string[]): Promise<void> {
  console.log(`\n== LSPS5 notifications: ${CLIENTS} offline clients, one webhook each, HTTPS on loopback ==`);
  const clients = Array.from({ length: CLIENTS }, (_, i) => clientId(i));
  const client = (i: number) => clients[i]!;
  const root = benchDir('lsps5');
  const ca = await makeTestCa();
  // A worker's entry is loaded before any --import hook runs in it, so it registers tsx itself first.
  const entry = new URL('./support/lsps5-receiver-worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true, workerData: ca },
  );
  let received = 0;
  let connections = 0;
  let counted: (() => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (m: { port?: number; calls?: number; connections?: number }) => {
      if (m.port !== undefined) resolve(m.port);
      if (m.connections !== undefined) connections = m.connections;
      if (m.calls !== undefined) {
        received = m.calls;
        counted?.();
      }
    });
    worker.once('error', reject);
  });
  /** The receiver's count of calls, asked now. */
  const receivedNow = () =>
    new Promise<number>((r) => {
      counted = () => r(received);
      worker.postMessage({ count: true });
    });
  const node = await startBenchNode(chain, root, 'lsp5');
  const db = await Database.open({ kind: 'sqlite', path: join(root, 'lsps5.sqlite') });
  let delivered = 0;
  const delivery = new WebhookDelivery({
    sign: (m) => node.signMessage(m),
    destination: { allowLoopback: true },
    extraCaPem: ca.caPem,
    onResult: (_d, r) => {
      if (r === 'delivered') delivered++;
      else throw new Error(`lsps5 bench: a delivery ended ${r}`);
    },
  });
  const service = await Lsps5Service.start({
    store: new WebhookRepository(db),
    delivery,
    destination: { allowLoopback: true },
    isConnected: () => false,
    channelPeers: () => [],
  });
  let answered = 0;
  const dispatcher = new Lsps0Dispatcher({ send: () => void answered++, protocols: [2] });
  service.register(dispatcher);

  try {
    // Baseline 1: the dispatcher's lsps0.list_protocols rate (parse, dispatch, serialise, send).
    const lp = enc.encode('{"jsonrpc":"2.0","id":"bench","method":"lsps0.list_protocols","params":{}}');
    for (let i = 0; i < 2000; i++) await dispatcher.handleMessage(client(0), lp);
    const t0 = performance.now();
    for (let i = 0; i < LIST_PROTOCOLS_CALLS; i++) await dispatcher.handleMessage(client(0), lp);
    const listRate = (LIST_PROTOCOLS_CALLS * 1000) / (performance.now() - t0);

    // Registration (untimed): one webhook per client, each answered with webhook_registered.
    for (let i = 0; i < CLIENTS; i++) {
      const params = { app_name: 'Bench Wallet', webhook: `https://localhost:${port}/push?device=${i}` };
      await dispatcher.handleMessage(
        client(i),
        enc.encode(JSON.stringify({ jsonrpc: '2.0', id: `s${i}`, method: 'lsps5.set_webhook', params })),
      );
    }
    await delivery.idle();
    if (delivered !== CLIENTS) throw new Error(`lsps5 bench: ${delivered} of ${CLIENTS} webhook_registered delivered`);
    delivered = 0;
    await pause(200);

    // Baseline 2: the event-loop delay with nothing to do, as long as the burst will take (about).
    const idle = await loopDelay(() => pause(2000));

    // The burst: one payment_incoming per client, all at once, then until every one is delivered.
    let enqueueMs = 0;
    const burst = await loopDelay(async () => {
      const e0 = performance.now();
      for (let i = 0; i < CLIENTS; i++) service.paymentIncoming(client(i));
      enqueueMs = performance.now() - e0;
      await delivery.idle();
    });
    if (delivered !== CLIENTS) throw new Error(`lsps5 bench: ${delivered} of ${CLIENTS} notifications delivered`);
    const rate = (CLIENTS * 1000) / burst.ms;
    const atReceiver = (await receivedNow()) - CLIENTS; // minus the webhook_registered calls

    // A second burst inside the cooldown: nothing may go out.
    for (let i = 0; i < CLIENTS; i++) service.paymentIncoming(client(i));
    await delivery.idle();
    const extra = (await receivedNow()) - 2 * CLIENTS;

    const verdict = burst.p99 < GOAL_P99_MS ? 'goal met' : 'goal NOT met';
    const lines = [
      `lsps5 baseline: lsps0.list_protocols ${fmt(listRate)}/s through the dispatcher; idle event-loop delay p99 ${fmt(idle.p99)} ms (max ${fmt(idle.max)} ms)`,
      `lsps5 burst of ${CLIENTS}: ${fmt(rate)} notifications/s delivered (signed, HTTPS, certificate verified; ${fmt(burst.ms)} ms in all, ${fmt(enqueueMs)} ms to decide and queue); the receiver got ${atReceiver} over ${connections} TLS connections in all`,
      `lsps5 event-loop delay during the burst: p50 ${fmt(burst.p50)} ms, p99 ${fmt(burst.p99)} ms (${fmt(burst.p99 / Math.max(idle.p99, 0.001))}x idle), max ${fmt(burst.max)} ms; goal p99 < ${GOAL_P99_MS} ms: ${verdict}`,
      `lsps5 ratio: notifications/s / list_protocols/s = ${(rate / listRate).toFixed(3)}; a second burst inside the cooldown sent ${extra}`,
    ];
    for (const l of lines) console.log(`  ${l}`);
    rows.push(...lines);
  } finally {
    delivery.stop();
    await db.close();
    await node.stop();
    worker.postMessage({ close: true });
    await new Promise((r) => worker.once('exit', r));
    rmSync(root, { recursive: true, force: true });
  }
}

// Alone: `node --conditions=jitlsp-source --import tsx bench/lsps5.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { SandboxChain } = await import('@jitlsp/engine/chain');
  const chain = await SandboxChain.create({ log: () => undefined });
  const rows: string[] = [];
  await lsps5Bench(chain, rows);
  await chain.close();
  process.exit(0);
}
