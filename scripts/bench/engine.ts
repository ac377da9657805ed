/**
 * `npm run bench:engine`: the Lightning engine's baselines on the payer -> LSP -> client path, three real LDK
 * nodes in one process talking BOLT 8 over loopback TCP, with a SandboxChain.
 *
 * 1. JIT: the client's router puts the LSP's intercept SCID in its BOLT 12 blinded path; the LSP opens a
 *    zero-conf channel on each `htlcIntercepted` and forwards with a skim. Measured: HTLC intercepted ->
 *    channel ready (the LSP's own overhead is measured against this later).
 * 2. Payments over the existing LSP -> client channel (no interception): sequential BOLT 12 payments, each timed
 *    from `payOffer` to `paymentSent` (invoice_request + invoice onion messages, the HTLC, the claim), then
 *    payments per second, p50 and p99; and the same with several payments in flight.
 * WASM linear memory and RSS are printed before and after. The sequential run is the baseline the concurrent run
 * is compared with. (A single-hop baseline is not possible here: the unannounced LSP cannot build BOLT 12 reply
 * paths with LDK's default message router.)
 *
 * Env: BENCH_PAYMENTS (default 1000), BENCH_JIT (default 5), BENCH_CONCURRENCY (default 8).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SandboxChain } from '@jitlsp/engine/chain';
import { LightningNode, type NodeOptions } from '@jitlsp/engine/node';
import { confirmedChannel, viaPeerMessageRouter, viaPeerRouter } from '@jitlsp/engine/testing';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1000);
const JIT_RUNS = Number(process.env.BENCH_JIT ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const quiet = {
  log: (level: string, msg: string, f?: Record<string, unknown>) => {
    if (process.env.BENCH_LOG && f?.node === (process.env.BENCH_LOG_NODE ?? 'payer') && level !== 'trace')
      console.log(level, msg.slice(0, 300));
  },
};
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const dirs: string[] = [];
async function start(chain: SandboxChain, name: string, extra: Partial<NodeOptions> = {}): Promise<LightningNode> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `jitlsp-bench-${name}-`));
  dirs.push(dataDir);
  return LightningNode.start({
    dataDir,
    chain,
    name,
    listen: { port: 0 },
    logger: quiet,
    ldkLogLevel: process.env.BENCH_LOG ? 'debug' : 'warn',
    ...(process.env.BENCH_TICK_MS ? { managerTickIntervalMs: Number(process.env.BENCH_TICK_MS) } : {}),
    ...extra,
  });
}

const chain = await SandboxChain.create({ log: (level, msg) => level !== 'debug' && console.log(`[sandbox] ${msg}`) });
let routeScid = 0n;
const l = await start(chain, 'lsp', { acceptInterceptHtlcs: true, interceptOfflinePeerOnionMessages: true });
const p = await start(chain, 'payer');
const lspId = l.nodeId;
const c = await start(chain, 'client', {
  inboundChannels: { manualAccept: true, trustedZeroConfPeers: [lspId] },
  acceptUnderpayingHtlcsFrom: [lspId],
  routerHook: viaPeerRouter(() => ({ peerNodeId: lspId, scid: routeScid })),
  messageRouterHook: viaPeerMessageRouter(() => lspId),
});
await p.connect(l.address!);
await c.connect(l.address!);
c.on('paymentClaimable', (e) => c.claimFunds(e.preimage!));

// Payer -> LSP channel, confirmed.
await confirmedChannel(chain, p, l, 5_000_000n);
const memStart = l.memoryStats();
console.log(
  `engine bench: 3 nodes over loopback TCP, lightningdevkit 0.1.0; WASM ${mib(memStart.wasmBytes)}, RSS ${mib(memStart.rssBytes)}`,
);
console.log(
  `ChannelManager tick every ${Number(process.env.BENCH_TICK_MS ?? 60_000) / 1000} s (BENCH_TICK_MS; LDK keeps completed payments for 7 ticks, so WASM memory holds that window's payments)`,
);

// 1. JIT opens.
const { offer } = c.createOffer();
routeScid = l.getInterceptScid();
const jitMs: number[] = [];
const skimMsat = 100_000n;
for (let i = 0; i < JIT_RUNS; i++) {
  const intercepted = l.waitFor('htlcIntercepted');
  const sent = p.waitFor('paymentSent');
  p.payOffer(offer, 1_000_000n);
  const ev = await intercepted;
  const t0 = performance.now();
  const ready = l.waitFor('channelReady', (e) => e.counterpartyNodeId === c.nodeId);
  // Zero forwarding fees: the client's blinded path advertises none; the LSP earns by skimming (bLIP-52).
  await l.openChannel({
    peer: c.nodeId,
    capacitySat: 1_000_000n,
    zeroConf: true,
    config: { forwardingFeeBaseMsat: 0, forwardingFeeProportionalMillionths: 0 },
  });
  const { channelId } = await ready;
  jitMs.push(performance.now() - t0);
  l.forwardInterceptedHtlc(ev.interceptId, channelId, c.nodeId, ev.expectedOutboundAmountMsat - skimMsat);
  await sent;
}
console.log(
  `JIT: HTLC intercepted -> zero-conf channel ready: p50 ${pct(jitMs, 50).toFixed(1)} ms, max ${Math.max(...jitMs).toFixed(1)} ms (${JIT_RUNS} opens)`,
);

// 2. Payments over an existing LSP -> client channel (route through its inbound SCID: no interception).
const existing = c.listChannels().find((ch) => ch.counterpartyNodeId === lspId && ch.isUsable)!;
routeScid = existing.inboundPaymentScid!;
async function payOnce(from: LightningNode, amountMsat: bigint): Promise<number> {
  const t0 = performance.now();
  const id = from.payOffer(offer, amountMsat);
  const ev = await Promise.race([
    from.waitFor('paymentSent', (e) => e.paymentId === id, 120_000),
    from
      .waitFor('paymentFailed', (e) => e.paymentId === id, 120_000)
      .then((e) => {
        throw new Error(`payment failed: ${e.reason}`);
      }),
  ]);
  void ev;
  return performance.now() - t0;
}
for (let i = 0; i < 10; i++) await payOnce(p, 10_000n); // warm-up
const memBefore = l.memoryStats();
const lat: number[] = [];
const tSeq = performance.now();
for (let i = 0; i < PAYMENTS; i++) {
  lat.push(await payOnce(p, 10_000n + BigInt(i % 1000)));
  if ((i + 1) % 100 === 0 && i + 1 < PAYMENTS) {
    console.log(
      `  ... ${i + 1}/${PAYMENTS} payments, ${((i + 1) / ((performance.now() - tSeq) / 1000)).toFixed(2)}/s so far, LSP WASM ${mib(l.memoryStats().wasmBytes)}`,
    );
  }
}
const seqSecs = (performance.now() - tSeq) / 1000;
const memAfter = l.memoryStats();
console.log(
  `payer -> LSP -> client, existing channel, sequential: ${PAYMENTS} payments in ${seqSecs.toFixed(1)} s = ${(PAYMENTS / seqSecs).toFixed(2)} payments/s; latency p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms`,
);

console.log(
  `LSP WASM memory: ${mib(memBefore.wasmBytes)} before -> ${mib(memAfter.wasmBytes)} after the sequential run; RSS ${mib(memBefore.rssBytes)} -> ${mib(memAfter.rssBytes)}; gc() ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'exposed (periodic)' : 'not exposed'}`,
);

const inFlight = Math.min(PAYMENTS, Math.max(1, CONCURRENCY));
const concurrentTotal = Math.max(inFlight, Math.floor(PAYMENTS / 5));
const tConc = performance.now();
let next = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (next < concurrentTotal) {
      next++;
      // In flight, LDK may drop an onion message (its per-peer buffers are small): count, do not stop.
      await payOnce(p, 20_000n).catch(() => failed++);
    }
  }),
);
const concSecs = (performance.now() - tConc) / 1000;
console.log(
  `  with ${inFlight} in flight: ${concurrentTotal} payments in ${concSecs.toFixed(1)} s = ${(concurrentTotal / concSecs).toFixed(2)} payments/s (${(concurrentTotal / concSecs / (PAYMENTS / seqSecs)).toFixed(2)}x the sequential baseline), ${failed} failed`,
);

for (const n of [p, l, c]) await n.stop();
await chain.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });
