/**
 * A real full node for the chain tests: bcoin 1.0.2 (a Bitcoin full node in JavaScript with a bitcoind-
 * compatible RPC) as a child process on regtest, on a free port, in memory (or on disk when it must survive a
 * restart). No bitcoind binary can be installed on the test machines.
 *
 * bcoin is not a faithful bitcoind; what matters here:
 * - regtest addresses are bcoin's own (`rb1…` bech32), so the harness mines to scripts it encodes itself;
 * - segwit activates only at height 432 (BIP9 on bcoin's regtest; always active on bitcoind's);
 * - `submitblock` of a longer branch reorganises, as on bitcoind: {@link BcoinNode.reorg} builds one
 *   (coinbase-only blocks, proof of work ground here: regtest's target accepts about every second nonce);
 * - `invalidateblock` deletes the block and empties the mempool (bitcoind keeps both).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { Address, OutScript, p2wpkh, RawTx, Script, Transaction } from '@scure/btc-signer';
import { ChainFollower } from '../chain/follower.js';
import { BitcoindRpcClient } from '../chain/bitcoind/rpc-client.js';
import { headerHash } from '../chain/block.js';
import { txidOf } from '../chain/txid.js';
import type { BlockSource, ChainBlock, ChainHeader, OnchainWallet } from '../chain/types.js';

/** bcoin's regtest address encoding (bcoin lib/protocol/networks.js). */
export const BCOIN_REGTEST = { bech32: 'rb', pubKeyHash: 0x3c, scriptHash: 0x26, wif: 0x5a };

/** bcoin's regtest activates segwit at this height (bitcoind's regtest: from the start). */
export const BCOIN_SEGWIT_HEIGHT = 432;

export interface BcoinNodeOptions {
  /** Keep the chain in this folder (survives {@link BcoinNode.restart}); in memory when absent. */
  dataDir?: string;
  /** bcoin's own log lines (default: dropped). */
  onLog?: (line: string) => void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class BcoinNode {
  readonly apiKey = bytesToHex(randomBytes(16));
  private child: ChildProcess | undefined;
  private client: BitcoindRpcClient | undefined;

  private constructor(
    readonly port: number,
    private readonly opts: BcoinNodeOptions,
    private readonly scratch: string,
  ) {}

  static async start(opts: BcoinNodeOptions = {}): Promise<BcoinNode> {
    const scratch = opts.dataDir ?? join(tmpdir(), `jitlsp-bcoin-${bytesToHex(randomBytes(6))}`);
    const node = new BcoinNode(await freePort(), opts, scratch);
    await node.launch();
    return node;
  }

  /** `http://user:password@127.0.0.1:port` (bcoin checks only the password, the API key). */
  get url(): string {
    return `http://jitlsp:${this.apiKey}@127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** One RPC call, retried while bcoin is unreachable (it drops idle keep-alive sockets). */
  rpc(method: string, params: unknown[] = []): Promise<unknown> {
    return this.client!.call(method, params);
  }

  async height(): Promise<number> {
    return (await this.rpc('getblockcount')) as number;
  }

  /** Mines `n` blocks paying `script` (a P2WPKH/P2WSH/... output script). Resolves to their hashes. */
  async mine(n: number, script: Uint8Array): Promise<string[]> {
    const hashes: string[] = [];
    for (let left = n; left > 0; left -= 100) {
      hashes.push(...((await this.rpc('generatetoaddress', [Math.min(100, left), bcoinAddress(script)])) as string[]));
    }
    return hashes;
  }

  /**
   * Replaces the last `depth` blocks with `depth + 1` coinbase-only blocks (more work, so bcoin switches, as
   * bitcoind would). Transactions of the replaced blocks are NOT in the new ones; bcoin does not put them back
   * into an empty mempool (bitcoind would), so they are lost until someone broadcasts them again.
   */
  async reorg(depth: number, newBlocks = depth + 1): Promise<string[]> {
    const tipHeight = await this.height();
    const forkHash = (await this.rpc('getblockhash', [tipHeight - depth])) as string;
    let prev = (await this.rpc('getblockheader', [forkHash, true])) as { time: number; mediantime: number };
    let prevHash = forkHash;
    const hashes: string[] = [];
    for (let i = 1; i <= newBlocks; i++) {
      const height = tipHeight - depth + i;
      const time = Math.max(prev.time + 1, Math.floor(Date.now() / 1000) + i);
      const block = buildBlock(prevHash, height, time);
      const res = await this.rpc('submitblock', [bytesToHex(block.raw)]);
      if (res !== null && res !== undefined && res !== 'inconclusive') {
        throw new Error(`bcoin refused the replacement block at ${height}: ${String(res)}`);
      }
      hashes.push(block.hash);
      prevHash = block.hash;
      prev = { time, mediantime: time };
    }
    const best = (await this.rpc('getbestblockhash')) as string;
    if (best !== prevHash) throw new Error(`bcoin did not switch to the longer branch (tip ${best})`);
    return hashes;
  }

  /** Kills bcoin without warning (SIGKILL). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.client?.close();
  }

  /** Starts bcoin again on the same port (and folder: an in-memory chain starts again from genesis). */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    if (this.opts.dataDir === undefined) {
      rmSync(this.scratch, { recursive: true, force: true });
    }
  }

  private async launch(): Promise<void> {
    const bin = join(dirname(createRequire(import.meta.url).resolve('bcoin/package.json')), 'bin', 'node');
    const args = [
      bin,
      '--network=regtest',
      `--memory=${this.opts.dataDir === undefined}`,
      `--prefix=${this.scratch}`,
      '--workers=false',
      '--listen=false',
      '--no-wallet',
      '--log-file=false',
      `--log-console=${this.opts.onLog !== undefined}`,
      '--http-host=127.0.0.1',
      `--http-port=${this.port}`,
      `--api-key=${this.apiKey}`,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const onData = (d: Buffer) => this.opts.onLog?.(d.toString());
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    this.client = new BitcoindRpcClient({ url: this.url, timeoutMs: 60_000, retryDelayMs: 50, maxRetryDelayMs: 500 });
    for (let i = 0; ; i++) {
      try {
        await this.client.call('getblockcount', [], { retry: false });
        return;
      } catch (err) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`bcoin exited at start (${child.exitCode ?? child.signalCode})`);
        if (i > 200) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
}

/** bcoin's regtest address for an output script. */
export function bcoinAddress(script: Uint8Array): string {
  return Address(BCOIN_REGTEST).encode(OutScript.decode(script));
}

const dsha256 = (b: Uint8Array): Uint8Array => sha256(sha256(b));

/** A coinbase-only regtest block on `prevHash` at `height`, with its proof of work. */
function buildBlock(prevHash: string, height: number, time: number): { raw: Uint8Array; hash: string } {
  const coinbase = RawTx.encode({
    version: 1,
    segwitFlag: false,
    inputs: [
      {
        txid: new Uint8Array(32),
        index: 0xffffffff,
        // BIP 34: the height first; random bytes so that two branches never share a block.
        finalScriptSig: Script.encode([height, randomBytes(8)]),
        sequence: 0xffffffff,
      },
    ],
    outputs: [{ amount: 0n, script: Script.encode(['RETURN']) }],
    witnesses: undefined,
    lockTime: 0,
  });
  const header = new Uint8Array(80);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x20000000, true);
  header.set(hexToBytes(prevHash).reverse(), 4);
  header.set(dsha256(coinbase), 36); // one transaction: the merkle root is its txid
  view.setUint32(68, time, true);
  view.setUint32(72, 0x207fffff, true);
  for (let nonce = 0; ; nonce++) {
    view.setUint32(76, nonce, true);
    const h = dsha256(header);
    // Regtest target 0x207fffff: the hash (little-endian number) must start below 0x7fffff.. at its top byte.
    if (h[31] < 0x7f || (h[31] === 0x7f && h[30] !== 0xff)) break;
  }
  return { raw: concatBytes(header, Uint8Array.of(1), coinbase), hash: headerHash(header) };
}

/**
 * A test wallet holding one P2WPKH key that the harness mines to: it follows the chain (reorganisations
 * included) for its outputs and funds channel opens through the {@link OnchainWallet} interface. Test-only:
 * the LSP's real wallet is a product feature of its own.
 */
export class TestWallet implements OnchainWallet {
  readonly script: Uint8Array;
  private readonly key: Uint8Array;
  private readonly utxos = new Map<string, TestWalletUtxo>();
  private readonly reserved = new Set<string>();
  private best: { height: number; hash: string };
  private readonly follower: ChainFollower;
  private readonly undo = new Map<string, { added: string[]; removed: [string, TestWalletUtxo][] }>();

  constructor(source: BlockSource, genesis: { hash: string }) {
    this.key = secp256k1.utils.randomSecretKey();
    this.script = p2wpkh(secp256k1.getPublicKey(this.key, true)).script;
    this.best = { height: 0, hash: genesis.hash };
    this.follower = new ChainFollower({
      source,
      prefetch: 32,
      listener: {
        bestBlock: () => this.best,
        blockConnected: (b) => this.connect(b),
        blocksDisconnected: (fork, gone) => this.disconnect(fork, gone),
      },
    });
  }

  static async create(source: BlockSource): Promise<TestWallet> {
    return new TestWallet(source, { hash: (await source.hashAt(0))! });
  }

  /** Catches up with the chain. */
  async sync(): Promise<void> {
    await this.follower.sync();
  }

  balanceSat(): bigint {
    let sum = 0n;
    for (const [k, u] of this.utxos) if (!this.reserved.has(k) && this.spendable(u)) sum += u.amountSat;
    return sum;
  }

  async fundTransaction(outputScript: Uint8Array, valueSat: bigint, feeRateSatPerKw = 1000): Promise<Uint8Array> {
    await this.sync();
    const candidates = [...this.utxos].filter(([k, u]) => !this.reserved.has(k) && this.spendable(u));
    candidates.sort((a, b) => (a[1].amountSat > b[1].amountSat ? -1 : 1));
    const feeSatPerVb = BigInt(Math.ceil(Math.max(253, feeRateSatPerKw) / 250));
    const chosen: typeof candidates = [];
    let total = 0n;
    let fee = 0n;
    for (const c of candidates) {
      chosen.push(c);
      total += c[1].amountSat;
      fee = feeSatPerVb * BigInt(11 + 68 * chosen.length + 43 * 2);
      if (total >= valueSat + fee) break;
    }
    if (total < valueSat + fee) throw new Error(`TestWallet: ${total} sat spendable, needs ${valueSat + fee}`);
    const tx = new Transaction({ allowUnknownOutputs: true });
    for (const [, u] of chosen) {
      tx.addInput({ txid: u.txid, index: u.index, witnessUtxo: { script: this.script, amount: u.amountSat } });
    }
    tx.addOutput({ script: outputScript, amount: valueSat });
    if (total - valueSat - fee > 546n) tx.addOutput({ script: this.script, amount: total - valueSat - fee });
    tx.sign(this.key);
    tx.finalize();
    for (const [k] of chosen) this.reserved.add(k);
    return tx.extract();
  }

  /** A transaction spending the same first input as `raw` (ours) to `outputScript`: a double spend. */
  doubleSpend(raw: Uint8Array, outputScript: Uint8Array): Uint8Array {
    const input = RawTx.decode(raw).inputs[0];
    const k = `${bytesToHex(input.txid)}:${input.index}`;
    const u = this.utxos.get(k);
    if (!u) throw new Error(`TestWallet/doubleSpend: ${k} is not ours or already confirmed spent`);
    const tx = new Transaction({ allowUnknownOutputs: true });
    tx.addInput({ txid: u.txid, index: u.index, witnessUtxo: { script: this.script, amount: u.amountSat } });
    tx.addOutput({ script: outputScript, amount: u.amountSat - 10_000n });
    tx.sign(this.key);
    tx.finalize();
    return tx.extract();
  }

  private spendable(u: TestWalletUtxo): boolean {
    // Coinbase maturity 100; witness spends need segwit, active at 432 on bcoin's regtest.
    return (!u.coinbase || this.best.height - u.height + 1 > 100) && this.best.height >= BCOIN_SEGWIT_HEIGHT;
  }

  private connect(b: ChainBlock): void {
    const added: string[] = [];
    const removed: [string, TestWalletUtxo][] = [];
    for (const { index: position, tx } of b.txs) {
      const decoded = RawTx.decode(tx);
      const txid = txidOf(tx);
      if (position > 0) {
        for (const i of decoded.inputs) {
          const k = `${bytesToHex(i.txid)}:${i.index}`;
          const u = this.utxos.get(k);
          if (u) {
            removed.push([k, u]);
            this.utxos.delete(k);
            this.reserved.delete(k);
          }
        }
      }
      decoded.outputs.forEach((o, index) => {
        if (o.amount > 0n && bytesToHex(o.script) === bytesToHex(this.script)) {
          const k = `${txid}:${index}`;
          this.utxos.set(k, { txid, index, amountSat: o.amount, height: b.height, coinbase: position === 0 });
          added.push(k);
        }
      });
    }
    this.undo.set(b.hash, { added, removed });
    this.best = { height: b.height, hash: b.hash };
  }

  private disconnect(fork: ChainHeader, gone: ChainHeader[]): void {
    for (const g of gone) {
      const u = this.undo.get(g.hash);
      if (!u) continue;
      for (const k of u.added) this.utxos.delete(k);
      for (const [k, utxo] of u.removed) this.utxos.set(k, utxo);
      this.undo.delete(g.hash);
    }
    this.best = { height: fork.height, hash: fork.hash };
  }
}

type TestWalletUtxo = { txid: string; index: number; amountSat: bigint; height: number; coinbase: boolean };
