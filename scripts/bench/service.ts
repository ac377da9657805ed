/**
 * `npm run bench:service`: the LSP daemon's buy path and its cost on the JIT payment path.
 *
 * 1. `lsps2.buy` through the daemon core's LSPS0 dispatcher (message 37913 as the node hands it over: JSON
 *    parse -> params check -> promise verify (HMAC, constant time) -> per-client session limit (the shell's
 *    in-memory count) -> intercept SCID from the real LDK node -> session persisted (SQLite file in a temp
 *    dir, WAL, group commit) -> response serialised and handed to the node's send). The daemon is the real
 *    one (`Daemon.start`: node, shell,
 *    metrics, sweep timer); only the node's `sendCustomMessage` is replaced by a sink, since the simulated
 *    peers are not connected over TCP. Clients are distinct node ids, each doing get_info (untimed, before
 *    the phase) and then a few buys, as wallets do. Three loads:
 *      - one at a time (one request in flight);
 *      - closed loop: 50 peers, each with its next request sent when the previous answer arrives;
 *      - open loop: requests arrive at a fixed offered rate (the goal rate, 2,000/s) from 50 peers whatever
 *        the answers do, which is how latency under a given load must be measured.
 * 2. The same on Postgres (DATABASE_URL, else /tmp/jitlsp-pg-url), in a throw-away schema.
 * 3. The JIT payment path, payer -> LSP -> client over loopback TCP, BOLT 12 payments (pay_for_offer ->
 *    PaymentSent), against the engine baseline in the same process and interleaved payment by payment:
 *      (a) engine only: an LSP node whose intercept handler forwards every HTLC at once over an open channel;
 *      (b) the full daemon core: HTLCs to a sold JIT SCID (session done, channel open) go through the shell
 *          (state machine -> session written to SQLite -> forward).
 *    Plus the service's own time per HTLC: from the node's `htlcIntercepted` to its `forwardInterceptedHtlc`.
 *
 * 4. LSPS5 webhook notifications: `lsps5.ts`.
 *
 * Environment: BENCH_PART=buy|pay|lsps5 (one part only), BENCH_DB=sqlite|postgres (one database only), BENCH_BUYS
 * (closed-loop count, default 10000), BENCH_SEQ_BUYS (default 2000), BENCH_RATE (top open-loop rate, default
 * 2000; open loops run at 1000/s and that rate, 4 s worth of requests each), BENCH_PAYMENTS (default 200 per
 * path: a p99 needs a few hundred samples to mean more than "the slowest one").
 *
 * Run without --expose-gc, as `npm start` runs the daemon: with it, the engine forces a full GC every few
 * seconds (LDK WASM memory, engine/src/node/wasm.ts), and each one stalls the event loop 100-250 ms here.
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Daemon, createLogger, loadConfig, type ServiceConfig } from '@jitlsp/service';
import { SandboxChain } from '@jitlsp/engine/chain';
import { getPublicKey, sha256, toHex } from '@jitlsp/shared/crypto';
import { parseScid } from '@jitlsp/shared/lsps0';
import type { LightningNode } from '@jitlsp/engine/node';
import { viaPeerMessageRouter, viaPeerRouter } from '@jitlsp/engine/testing';
import { confirmedChannel } from '@jitlsp/engine/testing';
import { lsps5Bench } from './lsps5.js';
import { benchDir, startBenchNode, timedPayment } from './support/nodes.js';
import { benchPostgresUrl, scratchSchema } from './support/postgres.js';
import { fmt, gc, pause, percentile, progress, summarize, type Summary } from './support/stats.js';

const env = process.env;
const PEERS = 50;
const BUYS_PER_CLIENT = 5; // below the default per-peer session limit (10): no buy is refused
const WARMUP_BUYS = 1000;
const SEQ_BUYS = Number(env.BENCH_SEQ_BUYS ?? 2000);
const LOAD_BUYS = Number(env.BENCH_BUYS ?? 10_000);
/** Open-loop offered rates (requests per second); the last is the goal rate unless BENCH_RATE says otherwise. */
const OPEN_RATES = [1000, Number(env.BENCH_RATE ?? 2000)];
/** Each open-loop phase offers this many seconds' worth of requests (a fixed count: rate x seconds). */
const OPEN_SECONDS = 4;
const LABEL = 50;
const PAYMENTS = Number(env.BENCH_PAYMENTS ?? 200);
const WARMUP_PAYMENTS = 5;
const PAYMENT_SIZE_MSAT = '50000000';
const GOAL_RATE = 2000;
const GOAL_P99_MS = 5;
const GOAL_PAY_RATIO = 1.2;

const enc = new TextEncoder();
const dec = new TextDecoder();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const rows: string[] = [];

// ---- 1/2. the buy path ---------------------------------------------------------------------------

interface BuyJob {
  peer: string;
  payload: Uint8Array;
}

/** A daemon whose 37913 answers land in a sink instead of on TCP. */
interface BuyRig {
  daemon: Daemon;
  /**
   * Answers of the current phase, tallied on arrival (a real daemon's answers leave on TCP and are garbage at
   * once; keeping thousands of them alive here would add the bench's own objects to the daemon's GC work).
   */
  answers: { n: number; ok: number; rejected: number; firstOk?: string; unexpected: string[] };
  /** Last answer per peer, kept while `setUp` only. */
  last: Map<string, Uint8Array>;
  setUp: boolean;
  clientSeq: number;
}

async function startBuyRig(
  chain: SandboxChain,
  root: string,
  database: 'sqlite' | { url: string; schema: string },
): Promise<BuyRig> {
  const e: Record<string, string> = {
    JITLSP_DATA_DIR: join(root, 'lsp'),
    JITLSP_HTTP_PORT: '0',
    JITLSP_P2P_PORT: '0',
    JITLSP_LOG_LEVEL: env.BENCH_VERBOSE ? 'info' : 'warn',
  };
  if (database !== 'sqlite') e.DATABASE_URL = database.url;
  const config = loadConfig(e, root);
  const daemon = await Daemon.start({
    config,
    chain,
    logger: createLogger({ level: config.logLevel }),
    database: database === 'sqlite' ? undefined : { postgresSchema: database.schema },
  });
  const rig: BuyRig = { daemon, answers: freshTally(), last: new Map(), setUp: false, clientSeq: 0 };
  const node = daemon.node as LightningNode;
  node.sendCustomMessage = (peer, payload) => {
    const a = rig.answers;
    a.n++;
    const text = dec.decode(payload);
    // The SCID's syntax is checked on a sample (checkAnswers); here only which kind of answer it is.
    if (text.includes('"jit_channel_scid"')) {
      a.ok++;
      a.firstOk ??= text;
    } else if (text.includes('"error":{"code":1,')) a.rejected++;
    else if (a.unexpected.length < 3) a.unexpected.push(text);
    if (rig.setUp) rig.last.set(String(peer), payload);
  };
  // On regtest LDK puts every intercept SCID at block height 1 (~2,500 values), far fewer than the sessions
  // sold here; mainnet spreads them over every block since segwit. The LDK call stays (its cost is part of
  // the buy path); its result moves to a height of its own, as on mainnet.
  const ldkScid = node.getInterceptScid.bind(node);
  let height = 1000n;
  node.getInterceptScid = () => ((height++ & 0xffffffn) << 40n) | (ldkScid() & 0xffffffffffn);
  return rig;
}

/** A fresh client node id (valid secp256k1 key, deterministic). */
function clientId(i: number): string {
  return toHex(getPublicKey(sha256(enc.encode(`jitlsp-bench-client-${i}`))));
}

/**
 * `n` buys from fresh clients, as `workers` lists: worker w serves its own clients one after the other,
 * each client doing BUYS_PER_CLIENT buys. get_info runs here, untimed, through the same dispatcher.
 */
async function makeJobs(rig: BuyRig, n: number, workers: number): Promise<BuyJob[][]> {
  const lists: BuyJob[][] = Array.from({ length: workers }, () => []);
  const clients = Math.ceil(n / BUYS_PER_CLIENT);
  let made = 0;
  rig.setUp = true;
  for (let c = 0; c < clients && made < n; c++) {
    const peer = clientId(rig.clientSeq++);
    await rig.daemon.dispatcher.handleMessage(
      peer,
      enc.encode(JSON.stringify({ jsonrpc: '2.0', id: 'gi', method: 'lsps2.get_info', params: {} })),
    );
    const info = JSON.parse(dec.decode(rig.last.get(peer)!)) as { result?: { opening_fee_params_menu: unknown[] } };
    const params = info.result?.opening_fee_params_menu[0];
    if (params === undefined) throw new Error(`bench: get_info failed: ${dec.decode(rig.last.get(peer)!)}`);
    for (let k = 0; k < BUYS_PER_CLIENT && made < n; k++, made++) {
      const request = {
        jsonrpc: '2.0',
        id: `buy-${c}-${k}`,
        method: 'lsps2.buy',
        params: { opening_fee_params: params, payment_size_msat: PAYMENT_SIZE_MSAT },
      };
      lists[c % workers]!.push({ peer, payload: enc.encode(JSON.stringify(request)) });
    }
  }
  rig.answers = freshTally();
  rig.last.clear();
  rig.setUp = false;
  return lists;
}

function freshTally(): BuyRig['answers'] {
  return { n: 0, ok: 0, rejected: 0, unexpected: [] };
}

/**
 * Every answer of the phase is a buy result with a SCID (the first one's SCID is parsed), or (overload) LSPS0
 * `client_rejected`, which is counted; anything else stops the bench. Resolves the rejected count.
 */
function checkAnswers(rig: BuyRig, n: number, label: string): number {
  const { ok, rejected, firstOk, unexpected } = rig.answers;
  if (firstOk)
    parseScid(
      (JSON.parse(firstOk) as { result: { jit_channel_scid: string } }).result.jit_channel_scid,
      'jit_channel_scid',
    );
  if (ok + rejected !== n || rig.answers.n !== n) {
    throw new Error(
      `bench ${label}: ${ok}/${n} buys answered with a SCID, ${rejected} rejected (${rig.answers.n} answers); e.g. ${unexpected.join(' | ')}`,
    );
  }
  rig.answers = freshTally();
  return rejected;
}

/** Closed loop: each worker sends its next request when the previous answer arrived. */
async function closedLoop(rig: BuyRig, lists: BuyJob[][], label: string): Promise<Summary> {
  const n = lists.reduce((a, l) => a + l.length, 0);
  const lat = new Float64Array(n);
  let done = 0;
  const tick = progress(label, n, Math.max(1000, Math.floor(n / 5)));
  gc();
  await pause(5);
  const t0 = performance.now();
  await Promise.all(
    lists.map(async (jobs) => {
      for (const j of jobs) {
        const s = performance.now();
        await rig.daemon.dispatcher.handleMessage(j.peer, j.payload);
        lat[done++] = performance.now() - s;
        tick(done);
      }
    }),
  );
  const wall = performance.now() - t0;
  const rejected = checkAnswers(rig, n, label);
  if (rejected > 0) throw new Error(`bench ${label}: ${rejected} buys rejected in a closed loop`);
  return summarize(lat, wall);
}

/**
 * Open loop: request i is due at t0 + i/rate whatever the answers do; each is sent when due (a timer
 * checks every millisecond, so arrivals come in small bursts, as on a network). Latency runs from the
 * send to the answer; `lagMs` reports how late the sends were (the process itself falling behind).
 */
async function openLoop(
  rig: BuyRig,
  lists: BuyJob[][],
  rate: number,
  label: string,
): Promise<Summary & { lagP99Ms: number; loopDelayP99Ms: number; rejected: number }> {
  const jobs: BuyJob[] = [];
  for (let k = 0; ; k++) {
    let any = false;
    for (const l of lists) if (k < l.length) (jobs.push(l[k]!), (any = true));
    if (!any) break;
  }
  const n = jobs.length;
  const lat = new Float64Array(n);
  const lag = new Float64Array(n);
  let done = 0;
  const tick = progress(label, n, Math.max(1000, Math.floor(n / 5)));
  gc();
  await pause(5);
  // How long the event loop was blocked (GC, CPU starvation on the shared machine, long synchronous runs).
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const pump = () => {
      const now = performance.now();
      const due = Math.min(n, Math.floor(((now - t0) * rate) / 1000) + 1);
      while (next < due) {
        const i = next++;
        const j = jobs[i]!;
        const s = performance.now();
        lag[i] = s - (t0 + (i * 1000) / rate);
        void rig.daemon.dispatcher.handleMessage(j.peer, j.payload).then(() => {
          lat[i] = performance.now() - s;
          tick(++done);
          if (done === n) resolve();
        });
      }
      if (next < n) setTimeout(pump, 1);
    };
    pump();
  });
  const wall = performance.now() - t0;
  loopDelay.disable();
  const rejected = checkAnswers(rig, n, label);
  return {
    ...summarize(lat, wall),
    lagP99Ms: percentile(lag, 99),
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    rejected,
  };
}

async function buyBench(
  chain: SandboxChain,
  name: string,
  database: 'sqlite' | { url: string; schema: string },
): Promise<void> {
  const root = benchDir(`buy-${name}`);
  const rig = await startBuyRig(chain, root, database);
  try {
    console.log(`\n[${name}] preparing clients (get_info through the dispatcher, untimed) .. load ${load()}`);
    const warm = await makeJobs(rig, WARMUP_BUYS, PEERS);
    const seq = await makeJobs(rig, SEQ_BUYS, 1);
    const closed = await makeJobs(rig, LOAD_BUYS, PEERS);
    const open = [];
    for (const rate of OPEN_RATES) open.push(await makeJobs(rig, rate * OPEN_SECONDS, PEERS));
    console.log(`[${name}] warm-up: ${WARMUP_BUYS} buys`);
    await closedLoop(rig, warm, `${name} warm-up`);
    console.log(`[${name}] one at a time: ${SEQ_BUYS} buys`);
    const s1 = await closedLoop(rig, seq, `${name} one at a time`);
    console.log(`[${name}] closed loop, ${PEERS} peers: ${LOAD_BUYS} buys`);
    const s2 = await closedLoop(rig, closed, `${name} closed loop`);
    const line = (label: string, s: Summary, extra = '') =>
      rows.push(
        `${`${name}: ${label}`.padEnd(LABEL)}${fmt(s.perSecond).padStart(8)} /s  p50 ${fmt(s.p50Ms).padStart(6)} ms  p99 ${fmt(s.p99Ms).padStart(6)} ms  max ${fmt(s.maxMs).padStart(6)} ms  n=${s.n}${extra}`,
      );
    line('buy, one at a time', s1);
    line(`buy, closed loop (${PEERS} peers x 1 in flight)`, s2);
    for (const [i, rate] of OPEN_RATES.entries()) {
      console.log(`[${name}] open loop, ${rate}/s offered by ${PEERS} peers: ${rate * OPEN_SECONDS} buys`);
      const s3 = await openLoop(rig, open[i]!, rate, `${name} open loop ${rate}/s`);
      // The buy goal is set for SQLite persistence, the default; Postgres prints the same figures beside it
      // (its server shares this machine's two cores with the daemon here).
      const goal =
        rate < GOAL_RATE || name !== 'sqlite'
          ? ''
          : s3.rejected === 0 && s3.perSecond >= GOAL_RATE * 0.98 && s3.p99Ms <= GOAL_P99_MS
            ? '  [goal met'
            : '  [goal MISSED';
      line(
        `buy, open loop (${rate}/s offered)`,
        s3,
        `  rejected ${s3.rejected}, send lag p99 ${fmt(s3.lagP99Ms)} ms, event-loop delay p99 ${fmt(s3.loopDelayP99Ms)} ms${goal && `${goal}: >= ${GOAL_RATE}/s, p99 <= ${GOAL_P99_MS} ms]`}`,
      );
    }
  } finally {
    await rig.daemon.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

// ---- 3. the JIT payment path ---------------------------------------------------------------------

/** Payer -> LSP -> client where the LSP is a bare engine node forwarding each intercepted HTLC at once. */
async function engineTrio(chain: SandboxChain, root: string) {
  // The daemon's node settings that touch this path (interception of HTLCs and of offline peers' onion messages).
  const lsp = await startBenchNode(chain, root, 'e-lsp', {
    acceptInterceptHtlcs: true,
    interceptOfflinePeerOnionMessages: true,
  });
  const payer = await startBenchNode(chain, root, 'e-payer');
  const scid = lsp.getInterceptScid();
  const client = await startBenchNode(chain, root, 'e-client', {
    inboundChannels: { manualAccept: true, trustedZeroConfPeers: [lsp.nodeId] },
    routerHook: viaPeerRouter(() => ({ peerNodeId: lsp.nodeId, scid })),
    messageRouterHook: viaPeerMessageRouter(() => lsp.nodeId),
  });
  client.on('paymentClaimable', (e) => e.preimage && client.claimFunds(e.preimage));
  await payer.connect(lsp.address!);
  await client.connect(lsp.address!);
  await confirmedChannel(chain, payer, lsp, 5_000_000n, 60_000);
  const ready = lsp.waitFor('channelReady', (e) => e.counterpartyNodeId === client.nodeId);
  await lsp.openChannel({ peer: client.nodeId, capacitySat: 2_000_000n, zeroConf: true });
  const { channelId } = await ready;
  // The minimal handler: intercept -> forward, nothing else.
  lsp.on('htlcIntercepted', (ev) =>
    lsp.forwardInterceptedHtlc(ev.interceptId, channelId, client.nodeId, ev.expectedOutboundAmountMsat),
  );
  return { nodes: [payer, lsp, client], payer, offer: client.createOffer().offer };
}

/** Payer -> daemon -> client: the client buys a JIT channel over 37913, the first payment opens it. */
async function daemonTrio(chain: SandboxChain, root: string) {
  const config: ServiceConfig = loadConfig(
    {
      JITLSP_DATA_DIR: join(root, 'd-lsp'),
      JITLSP_HTTP_PORT: '0',
      JITLSP_P2P_PORT: '0',
      JITLSP_FEE_TIERS: '1000000:10000',
      JITLSP_MIN_PAYMENT_SIZE_MSAT: '1000000',
      // Room for the later payments on the JIT channel (the first one moves its whole size to the client).
      JITLSP_CHANNEL_OVERPROVISIONING_SAT: '1000000',
      JITLSP_LOG_LEVEL: env.BENCH_VERBOSE ? 'info' : 'warn',
    },
    root,
  );
  const daemon = await Daemon.start({ config, chain, logger: createLogger({ level: config.logLevel }) });
  const lsp = daemon.node as LightningNode;
  const payer = await startBenchNode(chain, root, 'd-payer');
  let jitScid = 0n;
  const client = await startBenchNode(chain, root, 'd-client', {
    inboundChannels: { manualAccept: true, trustedZeroConfPeers: [lsp.nodeId] },
    acceptUnderpayingHtlcsFrom: [lsp.nodeId],
    routerHook: viaPeerRouter(() => ({ peerNodeId: lsp.nodeId, scid: jitScid })),
    messageRouterHook: viaPeerMessageRouter(() => lsp.nodeId),
  });
  client.on('paymentClaimable', (e) => e.preimage && client.claimFunds(e.preimage));
  await payer.connect(daemon.nodeAddress!);
  await client.connect(daemon.nodeAddress!);
  await confirmedChannel(chain, payer, lsp, 5_000_000n, 60_000);
  let seq = 0;
  const rpc = async (method: string, params: Record<string, unknown>): Promise<any> => {
    const id = `pay-bench-${++seq}`;
    const answer = client.waitFor(
      'customMessageReceived',
      (e) => e.peerNodeId === lsp.nodeId && dec.decode(e.payload).includes(id),
    );
    client.sendCustomMessage(lsp.nodeId, enc.encode(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
    return JSON.parse(dec.decode((await answer).payload));
  };
  const info = await rpc('lsps2.get_info', {});
  const bought = await rpc('lsps2.buy', {
    opening_fee_params: info.result.opening_fee_params_menu[0],
    payment_size_msat: PAYMENT_SIZE_MSAT,
  });
  jitScid = parseScid(bought.result.jit_channel_scid, 'jit_channel_scid');
  // The service's own time per HTLC: htlcIntercepted (as the node raises it) -> forwardInterceptedHtlc.
  const interceptedAt = new Map<string, number>();
  const serviceMs: number[] = [];
  lsp.on('htlcIntercepted', (ev) => interceptedAt.set(ev.interceptId, performance.now()));
  const forward = lsp.forwardInterceptedHtlc.bind(lsp);
  lsp.forwardInterceptedHtlc = (id, channelId, peer, amount) => {
    const at = interceptedAt.get(String(id));
    if (at !== undefined) serviceMs.push(performance.now() - at);
    interceptedAt.delete(String(id));
    forward(id, channelId, peer, amount);
  };
  const offer = client.createOffer().offer;
  const openMs = await timedPayment(payer, offer, BigInt(PAYMENT_SIZE_MSAT));
  await daemon.jit.idle();
  serviceMs.length = 0; // the opening HTLC waited for the channel: not a per-HTLC cost
  return { nodes: [payer, client], daemon, payer, offer, openMs, serviceMs };
}

async function paymentBench(chain: SandboxChain): Promise<void> {
  const root = benchDir('pay');
  console.log(`\n[payments] starting payer -> LSP -> client twice (engine-only and daemon), load ${load()}`);
  const e = await engineTrio(chain, root);
  const d = await daemonTrio(chain, root);
  console.log(
    `[payments] JIT channel opened by the first payment in ${fmt(d.openMs)} ms; warm-up: ${WARMUP_PAYMENTS} payments each`,
  );
  for (let i = 0; i < WARMUP_PAYMENTS; i++) {
    await timedPayment(e.payer, e.offer, 1_000_000n);
    await timedPayment(d.payer, d.offer, 1_000_000n);
  }
  d.serviceMs.length = 0;
  const base: number[] = [];
  const full: number[] = [];
  const tick = progress('payments', PAYMENTS, 10);
  for (let i = 0; i < PAYMENTS; i++) {
    // Interleaved, order alternating, so both paths see the same machine state.
    if (i % 2 === 0) {
      base.push(await timedPayment(e.payer, e.offer, 1_000_000n));
      full.push(await timedPayment(d.payer, d.offer, 1_000_000n));
    } else {
      full.push(await timedPayment(d.payer, d.offer, 1_000_000n));
      base.push(await timedPayment(e.payer, e.offer, 1_000_000n));
    }
    tick(i + 1);
  }
  await d.daemon.jit.idle();
  const sessions = await d.daemon.sessions.listOpen();
  const done = sessions.filter((s) => s.state.kind === 'done').length;
  const line = (label: string, xs: number[]) => {
    const s = summarize(
      xs,
      xs.reduce((a, b) => a + b, 0),
    );
    return `${label.padEnd(LABEL)}${fmt(s.perSecond).padStart(8)} /s  p50 ${fmt(s.p50Ms).padStart(6)} ms  p99 ${fmt(s.p99Ms).padStart(6)} ms  max ${fmt(s.maxMs).padStart(6)} ms  n=${s.n}`;
  };
  rows.push(line('pay (a) engine only: intercept -> forward', base));
  rows.push(line('pay (b) daemon: intercept -> SM -> DB -> fwd', full));
  const ratio = (q: number) => percentile(full, q) / percentile(base, q);
  const [r50, r90, r99] = [ratio(50), ratio(90), ratio(99)];
  const met = r50 <= GOAL_PAY_RATIO && r90 <= GOAL_PAY_RATIO;
  rows.push(
    `${'pay ratio (b)/(a)'.padEnd(LABEL)}p50 x${r50.toFixed(2)}  p90 x${r90.toFixed(2)}  p99 x${r99.toFixed(2)}  [${met ? 'goal met' : 'goal MISSED'}: p50 and p90 <= x${GOAL_PAY_RATIO}]`,
  );
  rows.push(
    `${'daemon time per HTLC (intercepted -> fwd)'.padEnd(LABEL)}p50 ${fmt(percentile(d.serviceMs, 50))} ms  p99 ${fmt(percentile(d.serviceMs, 99))} ms  n=${d.serviceMs.length} (${done} session done)`,
  );
  rows.push(`${'pay: first payment, JIT channel open'.padEnd(LABEL)}${fmt(d.openMs)} ms (one; not in the ratio)`);
  for (const n of [...e.nodes, ...d.nodes]) await n.stop();
  await d.daemon.stop();
  rmSync(root, { recursive: true, force: true });
}

// ---- main ----------------------------------------------------------------------------------------

const part = env.BENCH_PART;
console.log(
  `bench:service  node ${process.version}  load average ${load()}  (2 shared cores; figures move with the load)`,
);
if (typeof (globalThis as { gc?: unknown }).gc === 'function')
  console.log('note: --expose-gc is on, so the engine forces a full GC every few seconds (event-loop stalls)');
const chain = await SandboxChain.create({ log: () => undefined });
if (part === undefined || part === 'buy') {
  if (env.BENCH_DB !== 'postgres') await buyBench(chain, 'sqlite', 'sqlite');
  const url = benchPostgresUrl();
  if (env.BENCH_DB === 'sqlite') rows.push('postgres: skipped (BENCH_DB=sqlite)');
  else if (url === undefined) rows.push('postgres: skipped (no DATABASE_URL and no /tmp/jitlsp-pg-url)');
  else {
    let scratch: Awaited<ReturnType<typeof scratchSchema>> | undefined;
    try {
      scratch = await scratchSchema(url);
    } catch (err) {
      rows.push(`postgres: skipped (unreachable: ${(err as Error).message})`);
    }
    if (scratch) {
      try {
        await buyBench(chain, 'postgres', { url, schema: scratch.schema });
      } finally {
        await scratch.drop();
      }
    }
  }
}
if (part === undefined || part === 'pay') await paymentBench(chain);
if (part === undefined || part === 'lsps5') await lsps5Bench(chain, rows);
await chain.close();
console.log(`\nResults (load average now ${load()})`);
for (const r of rows) console.log(`  ${r}`);
process.exit(0);
