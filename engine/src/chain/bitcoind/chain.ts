/**
 * BitcoindRpcChain: a chain source backed by a bitcoind-compatible JSON-RPC node (Bitcoin Core; bcoin's
 * bitcoind-compatible RPC in the tests). It is only a chain source: funding comes from an `OnchainWallet`.
 *
 * - Start: `getblockchaininfo.chain` must be the configured network; initial block download is waited out
 *   with a progress line; the node is unreachable or warming up: retried with backoff, a log line per retry.
 * - Tip: polled every `pollSeconds` (`getbestblockhash`); listeners hear each change. A block notification
 *   (ZMQ) is not used: it needs a native module, and a 2-second poll costs one small call.
 * - Reads: headers from `getblockheader <hash> true`, rebuilt to their 80 bytes and checked against the hash;
 *   blocks from `getblock <hash> 0`, checked against the hash and the merkle root. Verbosity 2 is not used
 *   (bcoin reads the argument as a boolean).
 * - Writes: the {@link Broadcaster} (verified, journalled, rebroadcast), fed by this source's own follower.
 * - Fees: the {@link FeeEstimator} cache, refreshed per tip and every `feeRefreshSeconds`.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { ChainFollower } from '../follower.js';
import { headerHash, hexField, isBlockHash, parseBlock, parseHeader, prevHashOf } from '../block.js';
import { ChainDataError, MalformedAnswerError, RpcCallError, WrongNetworkError } from '../errors.js';
import type { ChainBlock, ChainHeader, ChainLog, ChainNetwork, ChainSource, ChainTip, FeeTarget } from '../types.js';
import { stderrChainLog } from '../types.js';
import { BitcoindRpcClient, type RpcClientOptions } from './rpc-client.js';
import { Broadcaster, type BroadcastResult } from './broadcaster.js';
import { FeeEstimator, type FeeRate } from './fee-estimator.js';

/** `getblockchaininfo.chain` for each network (Bitcoin Core's names; bcoin says `testnet` and `main` too). */
const CHAIN_NAMES: Record<ChainNetwork, string[]> = {
  bitcoin: ['main'],
  testnet: ['test', 'testnet'],
  testnet4: ['testnet4'],
  signet: ['signet'],
  regtest: ['regtest'],
};

export interface BitcoindRpcChainOptions extends Omit<RpcClientOptions, 'log'> {
  network: ChainNetwork;
  /** Tip polling interval (default 2 s; JITLSP_CHAIN_POLL_SECONDS). */
  pollSeconds?: number;
  /** Fee cache refresh besides every new tip (default 300 s). */
  feeRefreshSeconds?: number;
  /** Fee rate ceiling in sat/kw (default 100,000). */
  feeCeilingSatPerKw?: number;
  /** The broadcast journal file (kept in memory when absent). */
  journalFile?: string;
  /** Broadcast verification: mempool checks after sending (default 25 every 20 ms). */
  verifyAttempts?: number;
  verifyIntervalMs?: number;
  log?: ChainLog;
  clock?: () => Date;
}

/** Where the source stands, for `/readyz` and the metrics. */
export interface BitcoindStatus {
  /** The checks passed, initial block download is over and the tip is known. */
  synced: boolean;
  tipHeight: number | undefined;
  reorgs: number;
  broadcasts: Partial<Record<BroadcastResult, number>>;
  fees: Record<FeeTarget, FeeRate>;
  /** 'core' | 'bcoin', from `getnetworkinfo.subversion`. */
  flavour: 'core' | 'bcoin' | undefined;
}

export class BitcoindRpcChain implements ChainSource {
  readonly kind = 'bitcoind';
  readonly network: ChainNetwork;
  readonly rpc: BitcoindRpcClient;
  readonly fees: FeeEstimator;
  readonly broadcaster: Broadcaster;
  private readonly log: ChainLog;
  private readonly pollMs: number;
  private readonly feeRefreshMs: number;
  private readonly listeners = new Set<(tip: ChainTip) => void>();
  private readonly broadcastCounts: Partial<Record<BroadcastResult, number>> = {};
  private flavour: 'core' | 'bcoin' | undefined;
  private current: ChainTip | undefined;
  private watcher: ChainFollower | undefined;
  private watcherBest: { height: number; hash: string } | undefined;
  private synced = false;
  private closed = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private feeTimer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(opts: BitcoindRpcChainOptions) {
    this.network = opts.network;
    this.log = opts.log ?? stderrChainLog('bitcoind-chain');
    this.rpc = new BitcoindRpcClient({ ...opts, log: this.log });
    this.pollMs = Math.max(0.05, opts.pollSeconds ?? 2) * 1000;
    this.feeRefreshMs = Math.max(1, opts.feeRefreshSeconds ?? 300) * 1000;
    this.fees = new FeeEstimator({
      network: opts.network,
      estimate: (blocks) => this.rpc.call('estimatesmartfee', [blocks]),
      ceilingSatPerKw: opts.feeCeilingSatPerKw,
      log: this.log,
    });
    this.broadcaster = new Broadcaster({
      call: (m, p) => this.rpc.call(m, p),
      journalFile: opts.journalFile,
      verifyAttempts: opts.verifyAttempts,
      verifyIntervalMs: opts.verifyIntervalMs,
      clock: opts.clock,
      log: this.log,
      onResult: (r) => (this.broadcastCounts[r] = (this.broadcastCounts[r] ?? 0) + 1),
    });
  }

  /** A started source (see {@link start}). */
  static async connect(opts: BitcoindRpcChainOptions): Promise<BitcoindRpcChain> {
    const chain = new BitcoindRpcChain(opts);
    await chain.start();
    return chain;
  }

  /**
   * Checks the network, waits out initial block download, reads the tip and the fee estimates, then polls.
   * Retries while the node is unreachable or warming up; throws {@link WrongNetworkError} or
   * `ChainAuthError`, which a daemon reports and exits on.
   */
  start(): Promise<void> {
    this.started ??= this.startNow();
    return this.started;
  }

  private async startNow(): Promise<void> {
    let info = await this.blockchainInfo();
    const names = CHAIN_NAMES[this.network];
    if (!names.includes(info.chain)) {
      throw new WrongNetworkError(
        `JITLSP_NETWORK is ${this.network} but the bitcoind at ${this.rpc.endpoint} runs ${info.chain} ` +
          `(expected getblockchaininfo.chain = ${names.join(' or ')})`,
      );
    }
    const net = (await this.rpc.call('getnetworkinfo')) as { subversion?: unknown };
    this.flavour = typeof net?.subversion === 'string' && /bcoin/i.test(net.subversion) ? 'bcoin' : 'core';
    let lastProgressLog = 0;
    // bcoin does not report `initialblockdownload`; bitcoind does.
    while (info.initialblockdownload === true && !this.closed) {
      const now = Date.now();
      if (now - lastProgressLog >= 10_000) {
        lastProgressLog = now;
        this.log('info', 'bitcoind is in initial block download; waiting', {
          blocks: info.blocks,
          headers: info.headers,
          progress: info.verificationprogress,
        });
      }
      await new Promise((r) => setTimeout(r, Math.min(this.pollMs, 5000)));
      info = await this.blockchainInfo();
    }
    this.current = await this.tip();
    await this.refreshFees();
    // The source's own follower feeds the broadcast journal; it starts 6 blocks back so that confirmations
    // of journalled transactions that happened while we were stopped are seen again.
    const from = Math.max(0, this.current.height - 6);
    this.watcherBest = { height: from, hash: (await this.hashAt(from))! };
    this.watcher = new ChainFollower({
      source: this,
      name: 'broadcast-journal',
      log: this.log,
      listener: {
        bestBlock: () => this.watcherBest!,
        blockConnected: (b) => {
          this.broadcaster.blockConnected(b);
          this.watcherBest = { height: b.height, hash: b.hash };
        },
        blocksDisconnected: (fork, gone) => {
          this.broadcaster.blocksDisconnected(fork, gone);
          this.watcherBest = { height: fork.height, hash: fork.hash };
        },
      },
    });
    await this.watcher.sync();
    await this.broadcaster.maintain(this.current.height);
    this.synced = true;
    this.log('info', 'bitcoind chain source ready', {
      endpoint: this.rpc.endpoint,
      network: this.network,
      chain: info.chain,
      flavour: this.flavour,
      height: this.current.height,
      pollSeconds: this.pollMs / 1000,
    });
    this.schedulePoll();
    this.feeTimer = setInterval(() => void this.refreshFees(), this.feeRefreshMs);
    this.feeTimer.unref?.();
  }

  status(): BitcoindStatus {
    return {
      synced: this.synced,
      tipHeight: this.current?.height,
      reorgs: this.watcher?.reorgs ?? 0,
      broadcasts: { ...this.broadcastCounts },
      fees: this.fees.all(),
      flavour: this.flavour,
    };
  }

  /** Why channels must not be opened now, or undefined when they may. */
  openBlocker(): string | undefined {
    if (!this.synced) return 'the chain source is not synced to bitcoind yet';
    if (this.network === 'bitcoin' && !this.fees.hasEstimate()) {
      return 'bitcoind has no fee estimate yet; no channel opens on mainnet on a fallback fee rate';
    }
    return undefined;
  }

  async tip(): Promise<ChainTip> {
    const hash = await this.rpc.call('getbestblockhash');
    if (!isBlockHash(hash)) throw new MalformedAnswerError('getbestblockhash: expected a block hash');
    const h = await this.headerByHash(hash);
    return { height: h.height, hash: h.hash, header: h.header };
  }

  async hashAt(height: number): Promise<string | undefined> {
    try {
      const hash = await this.rpc.call('getblockhash', [height]);
      if (!isBlockHash(hash)) throw new MalformedAnswerError(`getblockhash ${height}: expected a block hash`);
      return hash;
    } catch (err) {
      if (err instanceof RpcCallError && err.code === -8) return undefined; // "Block height out of range"
      throw err;
    }
  }

  async headerByHash(hash: string): Promise<ChainHeader> {
    const v = (await this.rpc.call('getblockheader', [hash, true])) as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null) throw new MalformedAnswerError(`getblockheader ${hash}: not an object`);
    // bitcoind's verbose header has every field, so the 80 bytes are rebuilt and checked in one call; bcoin
    // 1.0.2's lacks the nonce, so the raw header is asked for too.
    const header =
      v.nonce === undefined
        ? parseHeader(hexField(await this.rpc.call('getblockheader', [hash, false]), `getblockheader ${hash}`), hash)
            .header
        : rebuildHeader(v, hash);
    const height = v.height;
    if (typeof height !== 'number' || !Number.isInteger(height) || height < 0) {
      throw new MalformedAnswerError(`getblockheader ${hash}: height is not a non-negative integer`);
    }
    return { height, hash, prevHash: prevHashOf(header), header };
  }

  async blockByHash(hash: string, height: number): Promise<ChainBlock> {
    const raw = hexField(await this.rpc.call('getblock', [hash, 0]), `getblock ${hash}`);
    const b = parseBlock(raw, hash);
    return { height, hash, header: b.header, txs: b.txs.map((tx, index) => ({ index, tx })) };
  }

  async blockAt(height: number): Promise<ChainBlock | undefined> {
    const hash = await this.hashAt(height);
    return hash === undefined ? undefined : this.blockByHash(hash, height);
  }

  subscribe(listener: (tip: ChainTip) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  broadcast(tx: Uint8Array): Promise<string> {
    return this.broadcaster.broadcast(tx);
  }

  feeRateSatPerKw(target: FeeTarget): number {
    return this.fees.satPerKw(target);
  }

  /** Checks the tip now and waits for the journal and fees to follow (the poll does this every `pollSeconds`). */
  pollNow(): Promise<void> {
    const run = this.polling.then(() => this.pollOnce());
    this.polling = run.catch(() => {});
    return run;
  }

  private async pollOnce(): Promise<void> {
    // One small call per poll while nothing changes.
    if ((await this.rpc.call('getbestblockhash')) === this.current?.hash) return;
    const tip = await this.tip();
    if (tip.hash === this.current?.hash) return;
    this.current = tip;
    for (const l of [...this.listeners]) {
      try {
        l(tip);
      } catch (err) {
        this.log('warn', 'tip listener failed', { error: String(err) });
      }
    }
    await this.refreshFees();
    await this.watcher?.sync();
    await this.broadcaster.maintain(tip.height);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.feeTimer);
    this.listeners.clear();
    this.rpc.close();
  }

  private schedulePoll(): void {
    if (this.closed) return;
    this.pollTimer = setTimeout(async () => {
      try {
        await this.pollNow();
      } catch (err) {
        if (!this.closed) this.log('warn', 'chain poll failed', { error: (err as Error).message });
      }
      this.schedulePoll();
    }, this.pollMs);
  }

  private async refreshFees(): Promise<void> {
    try {
      await this.fees.refresh();
    } catch (err) {
      if (!this.closed)
        this.log('warn', 'fee estimate refresh failed; keeping the previous rates', { error: String(err) });
    }
  }

  private async blockchainInfo(): Promise<{
    chain: string;
    blocks?: unknown;
    headers?: unknown;
    verificationprogress?: unknown;
    initialblockdownload?: unknown;
  }> {
    const info = (await this.rpc.call('getblockchaininfo')) as { chain?: unknown } | null;
    if (typeof info !== 'object' || info === null || typeof info.chain !== 'string') {
      throw new MalformedAnswerError('getblockchaininfo: no "chain"');
    }
    return info as { chain: string };
  }
}

/** The 80-byte header from `getblockheader <hash> true`, checked against `hash`. */
function rebuildHeader(v: Record<string, unknown>, hash: string): Uint8Array {
  const u32 = (name: string): number => {
    const x = v[name];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < -0x80000000 || x > 0xffffffff) {
      throw new MalformedAnswerError(`getblockheader ${hash}: ${name} is not a 32-bit integer`);
    }
    return x >>> 0;
  };
  const hash32 = (name: string, optional: boolean): Uint8Array => {
    const x = v[name];
    if ((x === undefined || x === null) && optional) return new Uint8Array(32); // genesis (bcoin: null)
    if (!isBlockHash(x)) throw new MalformedAnswerError(`getblockheader ${hash}: ${name} is not a 32-byte hash`);
    return hexToBytes(x).reverse();
  };
  // bitcoind: 8 hex digits; bcoin 1.0.2: the same value as a number.
  const bits = typeof v.bits === 'string' && /^[0-9a-f]{8}$/i.test(v.bits) ? parseInt(v.bits, 16) : u32('bits');
  const header = new Uint8Array(80);
  const view = new DataView(header.buffer);
  view.setUint32(0, u32('version'), true);
  header.set(hash32('previousblockhash', v.height === 0), 4);
  header.set(hash32('merkleroot', false), 36);
  view.setUint32(68, u32('time'), true);
  view.setUint32(72, bits, true);
  view.setUint32(76, u32('nonce'), true);
  const actual = headerHash(header);
  if (actual !== hash) {
    throw new ChainDataError(`getblockheader ${hash}: the header's fields hash to ${actual}`);
  }
  return header;
}
