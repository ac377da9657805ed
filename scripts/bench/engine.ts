/**
 * `npm run bench:engine`: the Lightning engine on the payer -> LSP -> client path, three real LDK nodes in one
 * process talking BOLT 8 over loopback TCP, with a SandboxChain.
 *
 * 1. JIT: HTLC intercepted -> zero-conf channel ready (the client's router puts the LSP's intercept SCID in its
 *    BOLT 12 blinded path; the LSP opens a channel on `htlcIntercepted` and forwards with a skim).
 * 2. Throughput over existing channels (payer -> LSP -> client, no interception), for 1, 8, 16, 32, 64 payments
 *    in flight, BOLT 12 (invoice_request and invoice onion messages, then the HTLC) and keysend (the HTLC path
 *    alone, same route), each timed from the call to `paymentSent`. Two engine set-ups run in this process, one
 *    after the other: the baseline (`monitorPersistence: 'full-sync'`, no onion outbox: the engine before the
 *    throughput work) and the current defaults, so the ratios compare like with like on a shared machine.
 *    Printed per row: payments, seconds, payments/s, ratio to that set-up's 1-in-flight row, p50, failures, CPU
 *    ms per payment (the whole process: three nodes) and the monitor writes' thread-pool time.
 * 3. BENCH_SOAK payments (default 0; the issue's figure is 5,000) sequentially: the LSP's WASM memory.
 *
 * Env: BENCH_LEVELS (default "1,8,16,32,64"), BENCH_PER_LEVEL (payments per row: max(this, 2 x in flight);
 * default 32), BENCH_JIT (default 3), BENCH_SOAK, BENCH_VARIANTS ("baseline,current").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SandboxChain } from '@jitlsp/engine/chain';
import { LightningNode, type NodeOptions } from '@jitlsp/engine/node';
import { confirmedChannel, viaPeerMessageRouter, viaPeerRouter } from '@jitlsp/engine/testing';

const LEVELS = (process.env.BENCH_LEVELS ?? '1,8,16,32,64').split(',').map(Number);
const PER_LEVEL = Number(process.env.BENCH_PER_LEVEL ?? 32);
const JIT_RUNS = Number(process.env.BENCH_JIT ?? 3);
const SOAK = Number(process.env.BENCH_SOAK ?? 0);
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'baseline,current').split(',');
const quiet = { log: () => undefined };
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const VARIANT_OPTIONS: Record<string, Partial<NodeOptions>> = {
  baseline: { monitorPersistence: 'full-sync', onionOutbox: false },
  current: {},
};

const dirs: string[] = [];
const chain = await SandboxChain.create({ log: () => undefined });

interface Path {
  p: LightningNode;
  l: LightningNode;
  c: LightningNode;
  offer: string;
  hint: { fromNodeId: string; scid: bigint };
}

async function setUp(variant: string): Promise<Path> {
  const start = (name: string, extra: Partial<NodeOptions> = {}) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), `jitlsp-bench-${variant}-${name}-`));
    dirs.push(dataDir);
    return LightningNode.start({
      dataDir,
      chain,
      name,
      listen: { port: 0 },
      logger: quiet,
      // 64 payments in flight need more than LDK's default of 50 HTLCs per channel direction.
      maxAcceptedHtlcs: 200,
      ...VARIANT_OPTIONS[variant],
      ...extra,
    });
  };
  let routeScid = 0n;
  const l = await start('lsp', { acceptInterceptHtlcs: true, interceptOfflinePeerOnionMessages: true });
  const p = await start('payer');
  const lspId = l.nodeId;
  const c = await start('client', {
    inboundChannels: { manualAccept: true, trustedZeroConfPeers: [lspId] },
    acceptUnderpayingHtlcsFrom: [lspId],
    routerHook: viaPeerRouter(() => ({ peerNodeId: lspId, scid: routeScid })),
    messageRouterHook: viaPeerMessageRouter(() => lspId),
  });
  await p.connect(l.address!);
  await c.connect(l.address!);
  c.on('paymentClaimable', (e) => c.claimFunds(e.preimage!));
  await confirmedChannel(chain, p, l, 10_000_000n);
  const { offer } = c.createOffer();

  if (variant === VARIANTS[0] && JIT_RUNS > 0) {
    routeScid = l.getInterceptScid();
    const jitMs: number[] = [];
    for (let i = 0; i < JIT_RUNS; i++) {
      const intercepted = l.waitFor('htlcIntercepted', undefined, 120_000);
      const sent = p.waitFor('paymentSent', undefined, 120_000);
      p.payOffer(offer, 1_000_000n);
      const ev = await intercepted;
      const t0 = performance.now();
      const ready = l.waitFor('channelReady', (e) => e.counterpartyNodeId === c.nodeId, 120_000);
      await l.openChannel({
        peer: c.nodeId,
        capacitySat: 1_000_000n,
        zeroConf: true,
        config: { forwardingFeeBaseMsat: 0, forwardingFeeProportionalMillionths: 0 },
      });
      const { channelId } = await ready;
      jitMs.push(performance.now() - t0);
      l.forwardInterceptedHtlc(ev.interceptId, channelId, c.nodeId, ev.expectedOutboundAmountMsat - 100_000n);
      await sent;
    }
    console.log(
      `JIT (${variant}): HTLC intercepted -> zero-conf channel ready: p50 ${pct(jitMs, 50).toFixed(1)} ms, max ${Math.max(...jitMs).toFixed(1)} ms (${JIT_RUNS} opens)`,
    );
  }

  // The LSP -> client channel the payments use: zero fees (the client's blinded path advertises none), confirmed.
  const ready = c.waitFor('channelReady', (e) => e.counterpartyNodeId === lspId, 120_000);
  const before = new Set(c.listChannels().map((ch) => ch.channelId));
  await l.openChannel({
    peer: c.nodeId,
    capacitySat: 5_000_000n,
    config: { forwardingFeeBaseMsat: 0, forwardingFeeProportionalMillionths: 0 },
  });
  while (!c.listChannels().some((ch) => !before.has(ch.channelId))) await new Promise((r) => setTimeout(r, 50));
  await chain.mine(6);
  await ready;
  let ch = c.listChannels().find((x) => !before.has(x.channelId));
  while (!ch?.isUsable) {
    await new Promise((r) => setTimeout(r, 50));
    ch = c.listChannels().find((x) => !before.has(x.channelId));
  }
  routeScid = ch.inboundPaymentScid!;
  return { p, l, c, offer, hint: { fromNodeId: lspId, scid: routeScid } };
}

async function payOnce(path: Path, kind: 'bolt12' | 'keysend', amountMsat: bigint): Promise<number> {
  const t0 = performance.now();
  const id =
    kind === 'bolt12'
      ? path.p.payOffer(path.offer, amountMsat)
      : path.p.payKeysend(path.c.nodeId, amountMsat, { routeHints: [[path.hint]] });
  await Promise.race([
    path.p.waitFor('paymentSent', (e) => e.paymentId === id, 300_000),
    path.p
      .waitFor('paymentFailed', (e) => e.paymentId === id, 300_000)
      .then((e) => {
        throw new Error(`payment failed: ${e.reason}`);
      }),
  ]);
  return performance.now() - t0;
}

interface Row {
  variant: string;
  kind: string;
  inFlight: number;
  payments: number;
  secs: number;
  rate: number;
  p50: number;
  failed: number;
  cpuMsPer: number;
}

async function level(path: Path, variant: string, kind: 'bolt12' | 'keysend', inFlight: number): Promise<Row> {
  const total = Math.max(PER_LEVEL, 2 * inFlight);
  const lat: number[] = [];
  let next = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        next++;
        await payOnce(path, kind, 20_000n + BigInt(next)).then(
          (ms) => lat.push(ms),
          () => failed++,
        );
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    variant,
    kind,
    inFlight,
    payments: total,
    secs,
    rate: (total - failed) / secs,
    p50: pct(lat, 50),
    failed,
    cpuMsPer: (cpu.user + cpu.system) / 1000 / total,
  };
}

console.log(
  `engine bench: 3 nodes over loopback TCP, lightningdevkit 0.1.0, in flight ${LEVELS.join('/')}, variants ${VARIANTS.join(' then ')}; load average ${(await import('node:os')).loadavg()[0].toFixed(1)} (a shared machine: compare ratios, not absolute figures)`,
);
const rows: Row[] = [];
for (const variant of VARIANTS) {
  const path = await setUp(variant);
  for (let i = 0; i < 3; i++) await payOnce(path, 'bolt12', 10_000n); // warm-up
  for (const kind of ['bolt12', 'keysend'] as const) {
    for (const k of LEVELS) {
      const row = await level(path, variant, kind, k);
      rows.push(row);
      console.log(
        `  ${variant} ${kind} ${k} in flight: ${row.payments} payments in ${row.secs.toFixed(1)} s = ${row.rate.toFixed(2)}/s, p50 ${row.p50.toFixed(0)} ms, ${row.failed} failed, CPU ${row.cpuMsPer.toFixed(1)} ms/payment`,
      );
    }
  }
  if (SOAK > 0 && variant === VARIANTS[VARIANTS.length - 1]) {
    const before = path.l.memoryStats();
    for (let i = 0; i < SOAK; i++) await payOnce(path, i % 2 ? 'keysend' : 'bolt12', 10_000n + BigInt(i));
    const after = path.l.memoryStats();
    console.log(`soak (${variant}): ${SOAK} payments, LSP WASM ${mib(before.wasmBytes)} -> ${mib(after.wasmBytes)}`);
  }
  for (const n of [path.p, path.l, path.c]) await n.stop();
}

console.log(
  '\n| set-up | kind | in flight | payments | time | payments/s | vs 1 in flight | p50 | failed | CPU/payment |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const seq = rows.find((x) => x.variant === r.variant && x.kind === r.kind && x.inFlight === 1);
  console.log(
    `| ${r.variant} | ${r.kind} | ${r.inFlight} | ${r.payments} | ${r.secs.toFixed(1)} s | ${r.rate.toFixed(2)} | ${seq ? (r.rate / seq.rate).toFixed(2) + 'x' : '-'} | ${r.p50.toFixed(0)} ms | ${r.failed} | ${r.cpuMsPer.toFixed(1)} ms |`,
  );
}
if (VARIANTS.length === 2) {
  console.log('\ncurrent / baseline throughput at each row (same process):');
  for (const r of rows.filter((x) => x.variant === VARIANTS[1])) {
    const b = rows.find((x) => x.variant === VARIANTS[0] && x.kind === r.kind && x.inFlight === r.inFlight);
    if (b) console.log(`  ${r.kind} ${r.inFlight} in flight: ${(r.rate / b.rate).toFixed(2)}x`);
  }
}
const goal64 = rows.find((r) => r.variant === 'current' && r.kind === 'bolt12' && r.inFlight === 64);
const seq = rows.find((r) => r.variant === 'current' && r.kind === 'bolt12' && r.inFlight === 1);
const ks64 = rows.find((r) => r.variant === 'current' && r.kind === 'keysend' && r.inFlight === 64);
if (goal64 && seq)
  console.log(
    `goals: BOLT 12 at 64 in flight ${(goal64.rate / seq.rate).toFixed(2)}x sequential (goal >= 5x), ${goal64.failed} failed (goal 0); keysend at 64 in flight ${ks64?.rate.toFixed(2)}/s (goal >= 25/s)`,
  );

await chain.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });
