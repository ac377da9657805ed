/**
 * Broadcasting our transactions through a bitcoind-style node, verified and journalled.
 *
 * - Idempotent: "already in the chain / in the mempool" (-27, or -26 `txn-already-in-mempool` / `txn-already-
 *   known`) is success; LDK re-broadcasts zero-conf funding on every monitor update.
 * - Verified: after `sendrawtransaction` the transaction must be in the mempool (`getmempoolentry`) or in a
 *   block. bitcoind reports rejections itself; bcoin 1.0.2 answers with the txid whatever its mempool decides,
 *   so the check is the only way to learn of a rejection there.
 * - Journalled: accepted transactions are kept (in a JSON file when configured) until 6 confirmations. The
 *   chain source's own follower tells the journal which block confirmed what; transactions that are neither
 *   confirmed nor in the mempool (dropped by a reorganisation, evicted, expired) are sent again, and entries
 *   that a confirmed transaction conflicts with are dropped.
 * - Errors are classified ({@link BroadcastFailure}) and logged with the txid, never swallowed.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { RawTx } from '@scure/btc-signer';
import { BroadcastError, ChainSourceError, RpcCallError, type BroadcastFailure } from '../errors.js';
import { txidOf } from '../txid.js';
import type { ChainBlock, ChainHeader, ChainLog } from '../types.js';

/** How a broadcast ended, for the `jitlsp_chain_broadcasts_total{result}` metric. */
export type BroadcastResult = 'accepted' | 'already-known' | 'rebroadcast' | BroadcastFailure;

export interface JournalEntry {
  txid: string;
  hex: string;
  /** Outpoints spent, `txid:vout`. */
  inputs: string[];
  addedAtMs: number;
  lastSentAtMs: number;
  confirmed?: { height: number; hash: string };
}

export interface BroadcasterOptions {
  call: (method: string, params: unknown[]) => Promise<unknown>;
  /** Where the journal is kept; in memory only when absent. */
  journalFile?: string;
  /** Confirmations after which an entry is forgotten (default 6). */
  confirmations?: number;
  /** Mempool checks after sending (default 25, every `verifyIntervalMs`, default 20 ms). */
  verifyAttempts?: number;
  verifyIntervalMs?: number;
  clock?: () => Date;
  log?: ChainLog;
  onResult?: (result: BroadcastResult) => void;
}

const ALREADY = /already in (?:block )?chain|txn-already-in-mempool|txn-already-known|already have transaction/i;

export class Broadcaster {
  private readonly journal = new Map<string, JournalEntry>();
  private readonly call: BroadcasterOptions['call'];
  private readonly file: string | undefined;
  private readonly needed: number;
  private readonly verifyAttempts: number;
  private readonly verifyIntervalMs: number;
  private readonly clock: () => Date;
  private readonly log: ChainLog;
  private readonly onResult: (r: BroadcastResult) => void;

  constructor(opts: BroadcasterOptions) {
    this.call = opts.call;
    this.file = opts.journalFile;
    this.needed = opts.confirmations ?? 6;
    this.verifyAttempts = opts.verifyAttempts ?? 25;
    this.verifyIntervalMs = opts.verifyIntervalMs ?? 20;
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.log ?? (() => {});
    this.onResult = opts.onResult ?? (() => {});
    if (this.file !== undefined && existsSync(this.file)) this.load(this.file);
  }

  /** Entries still watched (tests, operators). */
  entries(): JournalEntry[] {
    return [...this.journal.values()].map((e) => ({ ...e, inputs: [...e.inputs] }));
  }

  /** Sends `raw`, verifies the node kept it, journals it. Resolves to the txid; throws a {@link BroadcastError}. */
  async broadcast(raw: Uint8Array): Promise<string> {
    let txid: string;
    let inputs: string[];
    try {
      txid = txidOf(raw);
      inputs = RawTx.decode(raw).inputs.map((i) => `${bytesToHex(i.txid)}:${i.index}`);
    } catch (err) {
      throw new BroadcastError('(undecodable)', 'invalid', (err as Error).message);
    }
    const result = await this.send(txid, raw, 'accepted');
    const now = this.clock().getTime();
    const entry = this.journal.get(txid);
    if (entry) entry.lastSentAtMs = now;
    else this.journal.set(txid, { txid, hex: bytesToHex(raw), inputs, addedAtMs: now, lastSentAtMs: now });
    this.save();
    this.log('info', 'transaction broadcast', { txid, result });
    return txid;
  }

  /** The chain source's follower saw `block`: record confirmations and conflicts. */
  blockConnected(block: ChainBlock): void {
    if (this.journal.size === 0) return;
    const spent = new Map<string, string>();
    for (const t of block.txs) {
      const txid = txidOf(t.tx);
      const entry = this.journal.get(txid);
      if (entry) {
        entry.confirmed = { height: block.height, hash: block.hash };
        continue;
      }
      for (const i of RawTx.decode(t.tx).inputs) spent.set(`${bytesToHex(i.txid)}:${i.index}`, txid);
    }
    for (const entry of [...this.journal.values()]) {
      if (entry.confirmed) continue;
      const conflict = entry.inputs.map((o) => spent.get(o)).find((x) => x !== undefined);
      if (conflict !== undefined) {
        this.journal.delete(entry.txid);
        this.log('warn', 'dropped from the broadcast journal: a confirmed transaction spends the same input', {
          txid: entry.txid,
          conflictingTxid: conflict,
          height: block.height,
        });
      }
    }
    this.save();
  }

  /** Blocks left the best chain: what they confirmed is unconfirmed again (and sent again by `maintain`). */
  blocksDisconnected(fork: ChainHeader, disconnected: ChainHeader[]): void {
    const gone = new Set(disconnected.map((d) => d.hash));
    for (const e of this.journal.values()) {
      if (e.confirmed && (gone.has(e.confirmed.hash) || e.confirmed.height > fork.height)) {
        delete e.confirmed;
        this.log('warn', 'our transaction was unconfirmed by a reorganisation', { txid: e.txid });
      }
    }
    this.save();
  }

  /**
   * At a new tip: forgets entries with enough confirmations and sends again those neither confirmed nor in the
   * mempool. Failures are logged with the txid and counted; the entry stays for the next round.
   */
  async maintain(tipHeight: number): Promise<void> {
    for (const e of [...this.journal.values()]) {
      if (e.confirmed) {
        if (tipHeight - e.confirmed.height + 1 >= this.needed) this.journal.delete(e.txid);
        continue;
      }
      if (await this.inMempool(e.txid)) continue;
      const confs = await this.outputConfirmations(e.txid); // confirmed before our follower started
      if (confs >= this.needed) this.journal.delete(e.txid);
      if (confs > 0) continue;
      try {
        await this.send(e.txid, hexToBytes(e.hex), 'rebroadcast');
        e.lastSentAtMs = this.clock().getTime();
        this.log('info', 'transaction sent again (neither confirmed nor in the mempool)', { txid: e.txid });
      } catch (err) {
        if (!(err instanceof BroadcastError)) throw err;
      }
    }
    this.save();
  }

  private async send(txid: string, raw: Uint8Array, okResult: BroadcastResult): Promise<BroadcastResult> {
    let result = okResult;
    try {
      await this.call('sendrawtransaction', [bytesToHex(raw)]);
    } catch (err) {
      if (!(err instanceof RpcCallError)) throw err;
      if (err.code === -27 || ALREADY.test(err.rpcMessage)) result = 'already-known';
      else this.fail(txid, classify(err), err.rpcMessage);
    }
    if (result === 'already-known') {
      this.onResult(result);
      return result;
    }
    for (let i = 0; i < this.verifyAttempts; i++) {
      if ((await this.inMempool(txid)) || this.journal.get(txid)?.confirmed) {
        this.onResult(result);
        return result;
      }
      if (i === 0 && (await this.outputConfirmations(txid)) > 0) {
        this.onResult('already-known');
        return 'already-known';
      }
      await new Promise((r) => setTimeout(r, this.verifyIntervalMs));
    }
    this.fail(txid, 'not-accepted', 'the node answered but the transaction is neither in its mempool nor in a block');
  }

  private fail(txid: string, failure: BroadcastFailure, reason: string): never {
    this.onResult(failure);
    this.log('error', 'broadcast failed', { txid, failure, reason });
    throw new BroadcastError(txid, failure, reason);
  }

  private async inMempool(txid: string): Promise<boolean> {
    try {
      const entry = await this.call('getmempoolentry', [txid]);
      return typeof entry === 'object' && entry !== null;
    } catch (err) {
      // bitcoind: -5 "Transaction not in mempool"; bcoin 1.0.2: -1 with the same words.
      if (err instanceof RpcCallError && (err.code === -5 || /not in mempool/i.test(err.rpcMessage))) return false;
      throw err;
    }
  }

  /** Confirmations of the unspent first output (`gettxout`), 0 when unknown: the node has it in a block. */
  private async outputConfirmations(txid: string): Promise<number> {
    const out = (await this.call('gettxout', [txid, 0, false])) as { confirmations?: unknown } | null;
    const c = typeof out === 'object' && out !== null ? out.confirmations : undefined;
    return typeof c === 'number' && Number.isInteger(c) && c > 0 ? c : 0;
  }

  private load(file: string): void {
    let entries: unknown;
    try {
      entries = (JSON.parse(readFileSync(file, 'utf8')) as { entries?: unknown }).entries;
    } catch (err) {
      throw new ChainSourceError(`broadcast journal ${file} is not JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(entries)) throw new ChainSourceError(`broadcast journal ${file}: "entries" must be a list`);
    for (const [i, e] of entries.entries()) {
      const x = e as Partial<JournalEntry>;
      let ok = typeof x.hex === 'string' && typeof x.txid === 'string' && Array.isArray(x.inputs);
      try {
        ok &&= txidOf(hexToBytes(x.hex!)) === x.txid;
      } catch {
        ok = false;
      }
      if (!ok) throw new ChainSourceError(`broadcast journal ${file}: entry ${i} is not a transaction with its txid`);
      this.journal.set(x.txid!, {
        txid: x.txid!,
        hex: x.hex!,
        inputs: x.inputs!.map(String),
        addedAtMs: Number(x.addedAtMs) || 0,
        lastSentAtMs: Number(x.lastSentAtMs) || 0,
        // Confirmations are re-learnt from blocks: a confirmation recorded before a stop may have been reorganised.
      });
    }
  }

  private save(): void {
    if (this.file === undefined) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, entries: [...this.journal.values()] }));
    renameSync(tmp, this.file);
  }
}

function classify(err: RpcCallError): BroadcastFailure {
  const m = err.rpcMessage;
  if (err.code === -22) return 'invalid';
  if (/conflict|insufficient fee|replacement|double.?spen/i.test(m)) return 'conflict';
  if (err.code === -25 || /missing|inputs-missingorspent|spent/i.test(m)) return 'missing-inputs';
  return 'rejected';
}
