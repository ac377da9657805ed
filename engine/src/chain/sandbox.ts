/**
 * SandboxChain: an in-process regtest chain for the demo and the tests. It is NOT Bitcoin: there is no
 * proof of work, no script validation and no peer-to-peer network. What it does keep real is what the Lightning
 * nodes look at: 80-byte headers chained by hash with a real merkle root, realistic timestamps (BOLT 12
 * expiries are checked against them), and real segwit transactions signed by a small wallet.
 *
 * The wallet owns one P2WPKH key. Every block's coinbase-like transaction pays 50 BTC to it; coinbase outputs
 * become spendable after 100 confirmations (the consensus coinbase maturity), so `create()` mines 110 blocks.
 * `fundTransaction` builds and signs a transaction with @scure/btc-signer; `broadcast` puts it in the mempool
 * (idempotently: LDK re-broadcasts zero-conf funding txs, docs/ldk-pitfalls.md); `mine()` confirms the
 * whole mempool in the next block.
 *
 * `reorg(depth)` replaces the last `depth` blocks by a longer branch, so followers can be tested against
 * reorganisations without a full node. The built-in wallet sits behind the {@link OnchainWallet} interface.
 *
 * One instance is shared by every node of a process, so they all see the same chain.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { p2wpkh, RawTx, Transaction } from '@scure/btc-signer';
import { fromHex, toHex } from '@jitlsp/shared/crypto';
import type { ChainBlock, ChainHeader, ChainSource, ChainTip, FeeTarget, OnchainWallet } from './types.js';
import { txidOf } from './txid.js';
import { merkleRoot, prevHashOf } from './block.js';

export interface SandboxChainOptions {
  clock?: () => Date;
  random?: (n: number) => Uint8Array;
  /** Structured log sink; default JSON lines to stderr (info and above). */
  log?: (level: 'debug' | 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
  /** Fee rate reported to LDK (sat per 1000 weight units, >= 253). Default 1000 (4 sat/vB). */
  feeRateSatPerKw?: number;
  /** Blocks mined at creation (>= 101 so the first coinbase matures). Default 110. */
  initialBlocks?: number;
}

const COINBASE_SAT = 5_000_000_000n;
const COINBASE_MATURITY = 100;
/** Regtest compact target (BIP 94 / chainparams: 0x207fffff). */
const REGTEST_BITS = 0x207fffff;

interface Utxo {
  txid: string;
  index: number;
  amountSat: bigint;
  /** Height of the coinbase that created it (maturity), undefined for ordinary outputs. */
  coinbaseHeight?: number;
}

interface StoredBlock extends ChainBlock {
  txids: string[];
}

const dsha256 = (b: Uint8Array): Uint8Array => sha256(sha256(b));
const reversed = (b: Uint8Array): Uint8Array => Uint8Array.from(b).reverse();

export class SandboxChain implements ChainSource, OnchainWallet {
  readonly kind = 'sandbox';
  readonly network = 'regtest' as const;

  private readonly blocks: StoredBlock[] = [];
  /** Every block ever mined, stale ones included (bitcoind keeps them too), by hash. */
  private readonly byHash = new Map<string, StoredBlock>();
  /** Bumped by each reorganisation so a replacement block never repeats a disconnected one. */
  private branch = 0;
  private readonly mempool = new Map<string, Uint8Array>();
  private readonly txHeight = new Map<string, number>();
  private readonly spentBy = new Map<string, string>();
  private readonly utxos = new Map<string, Utxo>();
  private readonly reserved = new Set<string>();
  private readonly listeners = new Set<(tip: ChainTip) => void>();
  private readonly walletKey: Uint8Array;
  private readonly walletScript: Uint8Array;
  private readonly clock: () => Date;
  private readonly log: NonNullable<SandboxChainOptions['log']>;
  private readonly feeRate: number;
  private closed = false;

  private constructor(opts: SandboxChainOptions) {
    this.clock = opts.clock ?? (() => new Date());
    const random = opts.random ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
    this.log =
      opts.log ??
      ((level, msg, fields) => {
        if (level !== 'debug')
          process.stderr.write(JSON.stringify({ level, component: 'sandbox-chain', msg, ...fields }) + '\n');
      });
    this.feeRate = Math.max(253, opts.feeRateSatPerKw ?? 1000);
    this.walletKey = secp256k1.utils.randomSecretKey(random(48));
    this.walletScript = p2wpkh(secp256k1.getPublicKey(this.walletKey, true)).script;
  }

  /** A fresh chain with a funded wallet (genesis + `initialBlocks`). */
  static async create(opts: SandboxChainOptions = {}): Promise<SandboxChain> {
    const chain = new SandboxChain(opts);
    chain.log('info', 'SANDBOX chain: in-process regtest with a built-in wallet; not a real Bitcoin network', {
      network: 'regtest',
    });
    chain.mineOne(true, false); // genesis
    chain.mineSync(Math.max(COINBASE_MATURITY + 1, opts.initialBlocks ?? 110));
    return chain;
  }

  async tip(): Promise<ChainTip> {
    const b = this.tipBlock();
    return { height: b.height, hash: b.hash, header: b.header };
  }

  /** Synchronous tip height (tests, benchmarks). */
  get height(): number {
    return this.tipBlock().height;
  }

  async blockAt(height: number): Promise<ChainBlock | undefined> {
    return this.blocks[height];
  }

  async hashAt(height: number): Promise<string | undefined> {
    return this.blocks[height]?.hash;
  }

  async headerByHash(hash: string): Promise<ChainHeader> {
    const b = this.byHash.get(hash);
    if (!b) throw new Error(`SandboxChain/headerByHash: unknown block ${hash}`);
    return { height: b.height, hash: b.hash, prevHash: prevHashOf(b.header), header: b.header };
  }

  async blockByHash(hash: string, height: number): Promise<ChainBlock> {
    const b = this.byHash.get(hash);
    if (!b || b.height !== height) throw new Error(`SandboxChain/blockByHash: no block ${hash} at height ${height}`);
    return b;
  }

  subscribe(listener: (tip: ChainTip) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  feeRateSatPerKw(_target: FeeTarget): number {
    return this.feeRate;
  }

  /** Confirmations of a txid: 0 = in the mempool, undefined = never seen. */
  confirmations(txid: string): number | undefined {
    const h = this.txHeight.get(txid);
    if (h !== undefined) return this.tipBlock().height - h + 1;
    return this.mempool.has(txid) ? 0 : undefined;
  }

  /** Raw bytes of a known transaction (mempool or chain). */
  getTransaction(txid: string): Uint8Array | undefined {
    const inPool = this.mempool.get(txid);
    if (inPool) return inPool;
    const h = this.txHeight.get(txid);
    if (h === undefined) return undefined;
    const b = this.blocks[h];
    return b.txs[b.txids.indexOf(txid)]?.tx;
  }

  /** Spendable wallet balance (mature coinbases and confirmed or pending change). */
  balanceSat(): bigint {
    let sum = 0n;
    for (const [key, u] of this.utxos) if (!this.reserved.has(key) && this.isMature(u)) sum += u.amountSat;
    return sum;
  }

  async broadcast(raw: Uint8Array): Promise<string> {
    const txid = txidOf(raw);
    if (this.mempool.has(txid) || this.txHeight.has(txid)) return txid; // idempotent: LDK re-broadcasts zero-conf funding
    const tx = RawTx.decode(raw);
    for (const input of tx.inputs) {
      const outpoint = `${toHex(input.txid)}:${input.index}`;
      const other = this.spentBy.get(outpoint);
      if (other !== undefined && other !== txid) {
        throw new Error(`SandboxChain/broadcast: input ${outpoint} of ${txid} already spent by ${other}`);
      }
    }
    this.acceptTx(txid, raw);
    this.log('debug', 'tx broadcast', { txid, bytes: raw.length });
    return txid;
  }

  async fundTransaction(outputScript: Uint8Array, valueSat: bigint, feeRateSatPerKw?: number): Promise<Uint8Array> {
    if (valueSat <= 0n) throw new RangeError(`SandboxChain/fundTransaction: valueSat expected > 0, got ${valueSat}`);
    const candidates = [...this.utxos.entries()]
      .filter(([key, u]) => !this.reserved.has(key) && this.isMature(u))
      .sort((a, b) => (a[1].amountSat > b[1].amountSat ? -1 : 1));
    const feeSatPerVb = BigInt(Math.ceil(Math.max(253, feeRateSatPerKw ?? this.feeRate) / 250));
    const chosen: [string, Utxo][] = [];
    let total = 0n;
    let fee = 0n;
    for (const c of candidates) {
      chosen.push(c);
      total += c[1].amountSat;
      fee = feeSatPerVb * BigInt(11 + 68 * chosen.length + 43 * 2);
      if (total >= valueSat + fee) break;
    }
    if (total < valueSat + fee) {
      throw new Error(`SandboxChain/fundTransaction: wallet has ${total} sat spendable, needs ${valueSat + fee}`);
    }
    const tx = new Transaction({ allowUnknownOutputs: true });
    for (const [, u] of chosen) {
      tx.addInput({ txid: u.txid, index: u.index, witnessUtxo: { script: this.walletScript, amount: u.amountSat } });
    }
    tx.addOutput({ script: outputScript, amount: valueSat });
    const change = total - valueSat - fee;
    if (change > 546n) tx.addOutput({ script: this.walletScript, amount: change });
    tx.sign(this.walletKey);
    tx.finalize();
    for (const [key] of chosen) this.reserved.add(key);
    return tx.extract();
  }

  /** Mine `n` blocks (default 1); the first confirms every transaction in the mempool. */
  async mine(n = 1): Promise<ChainBlock[]> {
    return this.mineSync(n);
  }

  /**
   * Replaces the last `depth` blocks by `newBlocks` (default depth + 1: more work, as a real node requires) new
   * ones. Like bitcoind, the disconnected transactions go back to the mempool and confirm again in the new
   * branch's first block, unless `dropTransactions` (what bcoin does when its mempool is empty): then they are
   * gone until someone broadcasts them again. Listeners hear the new tip once.
   */
  async reorg(depth: number, opts: { newBlocks?: number; dropTransactions?: boolean } = {}): Promise<ChainBlock[]> {
    const tipHeight = this.tipBlock().height;
    if (!Number.isInteger(depth) || depth < 1 || depth >= tipHeight) {
      throw new RangeError(`SandboxChain/reorg: depth expected 1..${tipHeight - 1}, got ${depth}`);
    }
    const newBlocks = opts.newBlocks ?? depth + 1;
    const gone = this.blocks.splice(this.blocks.length - depth, depth);
    const pending = [...this.mempool];
    this.mempool.clear();
    this.branch++;
    this.rebuildWallet();
    if (!opts.dropTransactions) {
      for (const b of gone) for (let i = 1; i < b.txs.length; i++) this.acceptTx(b.txids[i], b.txs[i].tx);
    }
    for (const [txid, raw] of pending) if (!this.mempool.has(txid)) this.acceptTx(txid, raw);
    const out: ChainBlock[] = [];
    for (let i = 0; i < newBlocks; i++) out.push(this.mineOne(false, i === newBlocks - 1));
    this.log('info', 'sandbox reorganisation', { depth, newBlocks, height: this.tipBlock().height });
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }

  private mineSync(n: number): ChainBlock[] {
    const out: ChainBlock[] = [];
    for (let i = 0; i < n; i++) out.push(this.mineOne(false, true));
    if (n > 0) this.log('debug', 'mined', { blocks: n, height: this.tipBlock().height });
    return out;
  }

  private tipBlock(): StoredBlock {
    const b = this.blocks[this.blocks.length - 1];
    if (!b) throw new Error('SandboxChain: no blocks');
    return b;
  }

  private isMature(u: Utxo): boolean {
    return u.coinbaseHeight === undefined || this.tipBlock().height - u.coinbaseHeight + 1 >= COINBASE_MATURITY;
  }

  /** Records a transaction's effects on the wallet and the spent-outpoint index (`inMempool`: not yet mined). */
  private acceptTx(txid: string, raw: Uint8Array, coinbaseHeight?: number, inMempool = true): void {
    const tx = RawTx.decode(raw);
    if (coinbaseHeight === undefined) {
      for (const input of tx.inputs) {
        const key = `${toHex(input.txid)}:${input.index}`;
        this.spentBy.set(key, txid);
        this.utxos.delete(key);
        this.reserved.delete(key);
      }
      if (inMempool) this.mempool.set(txid, raw);
    }
    tx.outputs.forEach((o, index) => {
      if (bytesEqual(o.script, this.walletScript)) {
        this.utxos.set(`${txid}:${index}`, { txid, index, amountSat: o.amount, coinbaseHeight });
      }
    });
  }

  /** Recomputes the wallet and the indexes from the blocks of the best chain (after a reorganisation). */
  private rebuildWallet(): void {
    const reserved = new Set(this.reserved);
    this.utxos.clear();
    this.spentBy.clear();
    this.txHeight.clear();
    this.reserved.clear();
    for (const b of this.blocks) {
      b.txids.forEach((txid, i) => {
        this.acceptTx(txid, b.txs[i].tx, i === 0 ? b.height : undefined, false);
        this.txHeight.set(txid, b.height);
      });
    }
    for (const key of reserved) if (this.utxos.has(key)) this.reserved.add(key);
  }

  private mineOne(genesis: boolean, notify: boolean): StoredBlock {
    if (this.closed) throw new Error('SandboxChain: closed');
    const height = genesis ? 0 : this.blocks.length;
    const prev = genesis ? undefined : this.tipBlock();
    // BIP 34: the coinbase scriptSig starts with the height; the tag makes sandbox blocks recognisable.
    const heightLe = u32le(height);
    const coinbase = RawTx.encode({
      version: 2,
      segwitFlag: false,
      inputs: [
        {
          txid: new Uint8Array(32),
          index: 0xffffffff,
          finalScriptSig: concatBytes(
            Uint8Array.of(4),
            heightLe,
            Uint8Array.of(7),
            new TextEncoder().encode('sandbox'),
            Uint8Array.of(4),
            u32le(this.branch),
          ),
          sequence: 0xffffffff,
        },
      ],
      outputs: [{ amount: COINBASE_SAT, script: this.walletScript }],
      witnesses: undefined,
      lockTime: 0,
    });
    const coinbaseTxid = txidOf(coinbase);
    const entries: { txid: string; tx: Uint8Array }[] = [{ txid: coinbaseTxid, tx: coinbase }];
    if (!genesis) for (const [txid, tx] of this.mempool) entries.push({ txid, tx });
    this.mempool.clear();

    const time = Math.max(prev ? readTime(prev.header) + 1 : 0, Math.floor(this.clock().getTime() / 1000));
    const header = new Uint8Array(80);
    const view = new DataView(header.buffer);
    view.setInt32(0, 0x20000000, true);
    if (prev) header.set(reversed(fromHex(prev.hash)), 4);
    header.set(merkleRoot(entries.map((e) => reversed(fromHex(e.txid)))), 36);
    view.setUint32(68, time, true);
    view.setUint32(72, REGTEST_BITS, true);
    view.setUint32(76, height, true); // nonce: no proof of work in the sandbox
    const block: StoredBlock = {
      height,
      hash: toHex(reversed(dsha256(header))),
      header,
      txs: entries.map((e, index) => ({ index, tx: e.tx })),
      txids: entries.map((e) => e.txid),
    };
    this.blocks.push(block);
    this.byHash.set(block.hash, block);
    this.acceptTx(coinbaseTxid, coinbase, height);
    for (const e of entries) this.txHeight.set(e.txid, height);
    if (notify) {
      for (const l of [...this.listeners]) {
        try {
          l({ height, hash: block.hash, header });
        } catch (err) {
          this.log('warn', 'block listener failed', { height, error: String(err) });
        }
      }
    }
    return block;
  }
}

function u32le(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}

function readTime(header: Uint8Array): number {
  return new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(68, true);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
