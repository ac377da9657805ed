/**
 * `npm run bench:client`: what the client's BOLT 12 router wrapper adds per invoice, and end-to-end BOLT 12
 * JIT payments through the real LSP daemon, each against a baseline measured in the same process.
 *
 * A. Router, per invoice (real LDK objects, no network): the baseline is the inner router alone building its
 *    one-hop blinded path; the wrapper adds the registry lookup, lease choice, the JIT path through the LSP
 *    and persisting the assignment (memory store, and the JSON file store with fsync). Interleaved batches,
 *    GC between batches (untimed).
 * B. End to end (payer -> LSP daemon -> wallet over loopback TCP, SQLite): first payments (each opens a JIT
 *    channel for a fresh wallet) and later payments over the open channel to a registered offer, against the
 *    engine baseline: payments over the same channel to an offer of the same wallet that is not registered,
 *    so LDK's DefaultRouter answers alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ldk from 'lightningdevkit';
import {
  buildJitPath,
  JitWallet,
  JsonFileRouterStateStore,
  Lsps2Bolt12Router,
  MemoryRouterStateStore,
  type Lease,
  type RouterStateStore,
} from '@jitlsp/client';
import { Daemon, createLogger, loadConfig } from '@jitlsp/service';
import { SandboxChain } from '@jitlsp/engine/chain';
import { getPublicKey, toHex } from '@jitlsp/shared/crypto';
import { initLdk, LightningNode } from '@jitlsp/engine/node';
import { confirmedChannel } from '@jitlsp/engine/testing';
import type { Logger } from '@jitlsp/shared/log';

const gc =
  process.env.BENCH_GC === '0' ? () => undefined : ((globalThis as { gc?: () => void }).gc ?? (() => undefined));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent: Logger = { log: () => undefined };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (n: number) => n.toFixed(n < 10 ? 3 : 1);
/**
 * LDK objects made here stay referenced until exit: letting the finalizer free a JS-implemented Router
 * whose callbacks still hold other LDK objects crashed the WASM module (Router_free, out of bounds).
 */
const keepAlive: unknown[] = [];

// ---- A. router ----------------------------------------------------------------------------------

function keys(seed: number) {
  const km = ldk.KeysManager.constructor_new(new Uint8Array(32).fill(seed), 1_700_000_000n, 0);
  const id = (km.as_NodeSigner().get_node_id(ldk.Recipient.LDKRecipient_Node) as ldk.Result_PublicKeyNoneZ_OK).res;
  return { km, id, hex: toHex(id) };
}

async function routerBench(): Promise<void> {
  // The engine's once-per-process init: a second initializeWasmFromBinary would swap the WASM instance
  // under the objects made here (their finalizers then crash the module).
  await initLdk();
  const wallet = keys(1);
  const lsp = keys(2);
  const es = wallet.km.as_EntropySource();
  const inner = ldk.Router.new_impl({
    find_route: () =>
      ldk.Result_RouteLightningErrorZ.constructor_err(
        ldk.LightningError.constructor_new('x', ldk.ErrorAction.constructor_ignore_error()),
      ),
    find_route_with_id: () =>
      ldk.Result_RouteLightningErrorZ.constructor_err(
        ldk.LightningError.constructor_new('x', ldk.ErrorAction.constructor_ignore_error()),
      ),
    create_blinded_payment_paths: (recipient, _h, tlvs) => {
      const one = ldk.BlindedPaymentPath.constructor_one_hop(
        recipient,
        tlvs,
        24,
        es,
      ) as ldk.Result_BlindedPaymentPathNoneZ_OK;
      return ldk.Result_CVec_BlindedPaymentPathZNoneZ.constructor_ok([one.res.clone()]);
    },
  });
  const offerId = new Uint8Array(32).fill(9);
  const ek = ldk.ExpandedKey.constructor_new(new Uint8Array(32).fill(3));
  const tlvsFor = (i: number) => {
    const irf = ldk.InvoiceRequestFields.constructor_new(
      getPublicKey(new Uint8Array(32).fill(10 + (i % 200))),
      ldk.Option_u64Z.constructor_none(),
      null,
      null as unknown as ldk.HumanReadableName,
    );
    const ctx = ldk.PaymentContext.constructor_bolt12_offer(
      ldk.Bolt12OfferContext.constructor_new(ldk.OfferId.constructor_new(offerId), irf),
    );
    return ldk.UnauthenticatedReceiveTlvs.constructor_new(
      new Uint8Array(32).fill(i & 0xff),
      ldk.PaymentConstraints.constructor_new(1000, 1n),
      ctx,
    ).authenticate(ldk.Nonce.constructor_from_entropy_source(es), ek);
  };
  const BATCH = 100;
  const POOL = 10;
  const BATCHES = 10;
  const tlvs = Array.from({ length: BATCH }, (_, i) => tlvsFor(i));
  keepAlive.push(wallet, lsp, es, inner, ek, tlvs);
  const lease = (scid: bigint): Lease => ({
    lspNodeId: lsp.hex,
    interceptScid: scid,
    lspCltvExpiryDelta: 144,
    clientTrustsLsp: false,
    validUntilMs: Date.now() + 3600_000,
    mode: 'no-mpp',
    terms: { minFeeMsat: 1_000_000n, proportional: 1000, minPaymentSizeMsat: 1000n, maxPaymentSizeMsat: 10n ** 12n },
    boughtAtMs: Date.now(),
  });
  const dir = mkdtempSync(join(tmpdir(), 'jitlsp-bench-client-'));
  const freshWrapper = (store: RouterStateStore) => {
    const r = new Lsps2Bolt12Router({ store });
    const ldkRouter = r.attach(inner, es);
    keepAlive.push(r, ldkRouter);
    r.register({ offerId: toHex(offerId) }, { nodeId: lsp.hex, cltvExpiryDelta: 144 }, { poolSize: 0 });
    // A realistic pool: a handful of free leases (POOL), refilled between chunks (untimed).
    for (let i = 0; i < POOL; i++) r.addLease(lease(BigInt(1000 + i)));
    return ldkRouter;
  };
  const rows: Record<string, number[]> = {
    baseline: [],
    wrapperMemory: [],
    wrapperFile: [],
    delegated: [],
    jitPathOnly: [],
  };
  // The JIT path alone (LDK building a two-hop blinded path), to split the wrapper's cost.
  const jitOnly = ldk.Router.new_impl({
    find_route: () => {
      throw new Error('unused');
    },
    find_route_with_id: () => {
      throw new Error('unused');
    },
    create_blinded_payment_paths: (recipient, _h, t) =>
      ldk.Result_CVec_BlindedPaymentPathZNoneZ.constructor_ok([
        buildJitPath({
          lspNodeId: lsp.id,
          interceptScid: 1n,
          lspCltvExpiryDelta: 144,
          recipient,
          tlvs: t,
          htlcMinimumMsat: 1n,
          entropySource: es,
        }).clone(),
      ]),
  });
  const time = (fn: () => void) => {
    const s = performance.now();
    fn();
    return (performance.now() - s) * 1000;
  };
  const unregistered = (() => {
    const r = new Lsps2Bolt12Router({ store: new MemoryRouterStateStore() });
    keepAlive.push(r);
    return r.attach(inner, es);
  })();
  keepAlive.push(unregistered, jitOnly);
  let files = 0;
  for (let b = 0; b < BATCHES + 1; b++) {
    gc();
    await pause(2);
    // Each chunk of POOL invoices gets a wrapper with a fresh pool of POOL leases (set-up untimed).
    const run = (name: string, make: () => ldk.Router) => {
      let us = 0;
      for (let c = 0; c < BATCH; c += POOL) {
        const router = make();
        us += time(() => {
          for (const t of tlvs.slice(c, c + POOL)) {
            const res = router.create_blinded_payment_paths(
              wallet.id,
              [],
              t,
              50_000_000n,
            ) as ldk.Result_CVec_BlindedPaymentPathZNoneZ_OK;
            if (name.startsWith('wrapper') && res.res.length !== 2)
              throw new Error(`bench: ${name} built ${res.res.length} paths, expected 2`);
          }
        });
      }
      if (b > 0) rows[name]!.push(us / BATCH); // batch 0 is warm-up
    };
    run('baseline', () => inner);
    run('wrapperMemory', () => freshWrapper(new MemoryRouterStateStore()));
    run('baseline', () => inner);
    run('delegated', () => unregistered);
    run('wrapperFile', () => freshWrapper(new JsonFileRouterStateStore(join(dir, `state-${++files}.json`))));
    run('jitPathOnly', () => jitOnly);
  }
  rmSync(dir, { recursive: true, force: true });
  const base = pct(rows.baseline!, 50);
  console.log('\nA. Router: time per create_blinded_payment_paths call (median of batch means, µs)');
  console.log(`   baseline: inner router alone (one-hop path)            ${fmt(base)} µs`);
  const row = (label: string, name: string) => {
    const v = pct(rows[name]!, 50);
    console.log(`   ${label.padEnd(55)}${fmt(v)} µs   x${(v / base).toFixed(2)}   added ${fmt(v - base)} µs`);
  };
  row('JIT path build alone (LDK, LSP hop + recipient)', 'jitPathOnly');
  row('unregistered offer (lookup, then delegate)', 'delegated');
  row('wrapper, memory store (lookup+lease+JIT path)', 'wrapperMemory');
  row('wrapper, JSON file store (+ write, fsync, rename)', 'wrapperFile');
  const lookupLease = pct(rows.wrapperMemory!, 50) - base - pct(rows.jitPathOnly!, 50);
  console.log(
    lookupLease > 0
      ? `   => lookup + lease choice + memory persist: ~${fmt(lookupLease)} µs per invoice; the rest is LDK's path crypto`
      : `   => lookup + lease choice + memory persist: below the batch-to-batch noise; the added time is LDK building the JIT path`,
  );
}

// ---- B. end to end ------------------------------------------------------------------------------

async function e2eBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'jitlsp-bench-e2e-'));
  const chain = await SandboxChain.create({ log: () => undefined });
  const config = loadConfig(
    {
      JITLSP_DATA_DIR: join(root, 'lsp'),
      JITLSP_HTTP_PORT: '0',
      JITLSP_P2P_PORT: '0',
      JITLSP_FEE_TIERS: '1000000:10000',
      JITLSP_MIN_PAYMENT_SIZE_MSAT: '1000000',
      JITLSP_CHANNEL_OVERPROVISIONING_SAT: '100000',
      JITLSP_LOG_LEVEL: process.env.BENCH_VERBOSE ? 'info' : 'silent',
    },
    root,
  );
  const lsp = await Daemon.start({ config, chain, logger: createLogger({ level: config.logLevel }) });
  const payer = await LightningNode.start({
    dataDir: join(root, 'payer'),
    chain,
    name: 'payer',
    logger: process.env.BENCH_VERBOSE
      ? {
          log: (l, m, f) =>
            console.log(
              'payer',
              l,
              m,
              JSON.stringify(f ?? {}, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
            ),
        }
      : silent,
    ldkLogLevel: process.env.BENCH_VERBOSE ? 'debug' : undefined,
  });
  await payer.connect(lsp.nodeAddress!);
  await confirmedChannel(chain, payer, lsp.node, 5_000_000n);

  const payOnce = async (offer: string, amountMsat: bigint) => {
    gc();
    await pause(2); // a real macrotask yield so LDK's finalizers run (docs/ldk-pitfalls.md, "Memory")
    const s = performance.now();
    const sent = payer.waitFor('paymentSent', undefined, 60_000);
    const failed = payer.waitFor('paymentFailed', undefined, 60_000);
    failed.catch(() => undefined);
    payer.payOffer(offer, amountMsat);
    const outcome = await Promise.race([sent, failed]);
    if (outcome.type === 'paymentFailed') throw new Error(`bench: payment failed (${outcome.reason ?? 'no reason'})`);
    if (process.env.BENCH_VERBOSE) console.log('paid', amountMsat, (performance.now() - s).toFixed(0), 'ms');
    return performance.now() - s;
  };

  // First payments: each opens a JIT channel to a fresh wallet.
  const FIRST = 5;
  const first: number[] = [];
  const wallets: JitWallet[] = [];
  for (let i = 0; i < FIRST; i++) {
    const w = await JitWallet.start({
      dataDir: join(root, `w${i}`),
      chain,
      lsps: [lsp.nodeAddress!],
      logger: process.env.BENCH_VERBOSE
        ? { log: (l, m, f) => l !== 'trace' && l !== 'debug' && console.log('wallet', l, m, JSON.stringify(f ?? {})) }
        : silent,
      name: `w${i}`,
      maintenanceIntervalMs: 0,
    });
    wallets.push(w);
    const { offer } = await w.receiveViaLsp({ lsp: lsp.nodeAddress!, policy: { poolSize: 0 } });
    first.push(await payOnce(offer, 50_000_000n));
  }
  const w0 = wallets[0]!;
  const w0Offer = (await w0.receiveViaLsp({ lsp: lsp.nodeAddress!, policy: { poolSize: 0 } })).offer;
  // Engine baseline: an offer of the same wallet that is not registered with the router, so LDK's own
  // DefaultRouter answers alone; same payer, LSP, channel and amount.
  const plainOffer = w0.node.createOffer().offer;

  const LATER = 30;
  const later: number[] = [];
  const base: number[] = [];
  const laterStart = { jit: 0, base: 0 };
  for (let i = 0; i < LATER; i++) {
    // Interleaved so both see the same machine state.
    let s = performance.now();
    base.push(await payOnce(plainOffer, 1_000_000n));
    laterStart.base += performance.now() - s;
    s = performance.now();
    later.push(await payOnce(w0Offer, 1_000_000n));
    laterStart.jit += performance.now() - s;
  }
  const line = (label: string, xs: number[]) =>
    console.log(
      `   ${label.padEnd(58)}${(1000 / (xs.reduce((a, b) => a + b, 0) / xs.length)).toFixed(2)} /s   p50 ${pct(xs, 50).toFixed(0)} ms   p99 ${pct(xs, 99).toFixed(0)} ms   (n=${xs.length})`,
    );
  console.log('\nB. End to end: BOLT 12 payment, pay_for_offer -> PaymentSent (sequential, loopback TCP)');
  line('engine baseline: unregistered offer, DefaultRouter only', base);
  line('JitWallet, later payments over the JIT channel', later);
  line('JitWallet, first payment (LSPS2 JIT channel open)', first);
  console.log(
    `   ratios vs baseline p50: later x${(pct(later, 50) / pct(base, 50)).toFixed(2)}, first x${(pct(first, 50) / pct(base, 50)).toFixed(2)}`,
  );

  for (const w of wallets) await w.stop();
  await payer.stop();
  await lsp.stop();
  await chain.close();
  rmSync(root, { recursive: true, force: true });
}

const part = process.env.BENCH_PART;
if (part !== 'e2e') await routerBench();
if (part !== 'router') await e2eBench();
process.exit(0);
