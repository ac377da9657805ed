/**
 * Funding outbound channels from the node's on-chain wallet, and the funding hold of bLIP-52
 * `client_trusts_lsp`: a held funding transaction is not broadcast (LDK asks to broadcast it once the channel
 * is set up) until `release`. Held transactions are kept in `held-funding.json` so a restart keeps them held
 * and releasable.
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';
import { txidOf } from '../chain/txid.js';
import type { NodeContext } from './context.js';
import type { InternalEvent } from './events.js';
import { idBytes } from './ids.js';
import { errText } from './mappers.js';
import type { HeldFunding, IdInput, NodeEvent, NodeOptions } from './types.js';

const HELD_FILE = 'held-funding.json';

/** One entry of the held-funding file. */
interface HeldRecord {
  txid: string;
  txHex: string;
  counterpartyNodeId: string;
  userChannelId: string;
  temporaryChannelId: string;
}

export class Funding {
  private readonly held = new Map<string, HeldFunding>();

  constructor(
    private readonly ctx: NodeContext,
    private readonly holdFunding: NodeOptions['holdFunding'],
    private readonly emit: (ev: NodeEvent) => void,
  ) {}

  /** Read the held-funding file (start-up). */
  load(): void {
    const bytes = this.ctx.store.read(HELD_FILE);
    if (!bytes) return;
    const list = JSON.parse(new TextDecoder().decode(bytes)) as HeldRecord[];
    for (const h of list) {
      this.held.set(h.txid, {
        txid: h.txid,
        tx: idBytes(h.txHex, h.txHex.length / 2, 'held tx'),
        counterpartyNodeId: h.counterpartyNodeId,
        userChannelId: BigInt(h.userChannelId),
        temporaryChannelId: h.temporaryChannelId,
      });
    }
  }

  private save(): void {
    const list: HeldRecord[] = [...this.held.values()].map((h) => ({
      txid: h.txid,
      txHex: toHex(h.tx),
      counterpartyNodeId: h.counterpartyNodeId,
      userChannelId: h.userChannelId.toString(),
      temporaryChannelId: h.temporaryChannelId,
    }));
    this.ctx.store.writeAtomic(HELD_FILE, JSON.stringify(list));
  }

  /** LDK's FundingGenerationReady: build the transaction, hold it if asked, hand it to LDK. */
  async fund(cm: ldk.ChannelManager, ev: Extract<InternalEvent, { type: 'fundingGenerationReady' }>): Promise<void> {
    const tmp = ldk.ChannelId.constructor_new(ev.temporaryChannelId);
    const peer = idBytes(ev.counterpartyNodeId, 33, 'counterpartyNodeId');
    try {
      if (!this.ctx.wallet) throw new Error('no on-chain wallet configured to fund the channel');
      const feeRate = this.ctx.chain.feeRateSatPerKw('NonAnchorChannelFee');
      const tx = await this.ctx.wallet.fundTransaction(ev.outputScript, ev.valueSat, feeRate);
      if (this.ctx.isStopped()) return;
      const txid = txidOf(tx);
      const temporaryChannelId = toHex(ev.temporaryChannelId);
      const info = { counterpartyNodeId: ev.counterpartyNodeId, userChannelId: ev.userChannelId, temporaryChannelId };
      if (this.holdFunding?.(info)) {
        this.held.set(txid, { txid, tx, ...info });
        this.save();
        this.emit({ type: 'fundingHeld', txid, ...info });
      }
      const res = cm.funding_transaction_generated(tmp, peer, tx);
      if (!res.is_ok()) this.ctx.log('warn', 'funding_transaction_generated failed', { error: errText(res) });
      else
        this.ctx.log('info', 'channel funded', {
          txid,
          valueSat: ev.valueSat,
          peer: ev.counterpartyNodeId,
          held: this.held.has(txid),
        });
    } catch (err) {
      this.ctx.log('error', 'funding failed; abandoning the channel', {
        error: String(err),
        peer: ev.counterpartyNodeId,
      });
      if (!this.ctx.isStopped()) cm.force_close_without_broadcasting_txn(tmp, peer, 'funding failed');
    }
    this.ctx.kick();
  }

  /** LDK's BroadcasterInterface: broadcast everything except held funding transactions. */
  broadcast(txs: Uint8Array[]): void {
    for (const tx of txs) {
      let txid: string;
      try {
        txid = txidOf(tx);
      } catch (err) {
        this.ctx.log('warn', 'LDK asked to broadcast an undecodable transaction', { error: String(err) });
        continue;
      }
      if (this.held.has(txid)) continue; // bLIP-52 client_trusts_lsp: withheld until release
      this.ctx.chain
        .broadcast(tx)
        .catch((err) => this.ctx.log('warn', 'broadcast failed', { txid, error: String(err) }));
    }
  }

  /** Broadcast a held funding transaction; false if none is held under `txid`. */
  async release(txid: IdInput): Promise<boolean> {
    const id = typeof txid === 'string' ? txid.toLowerCase() : toHex(txid);
    const h = this.held.get(id);
    if (!h) return false;
    this.held.delete(id);
    this.save();
    await this.ctx.chain.broadcast(h.tx);
    this.ctx.log('info', 'held funding released', { txid: id });
    return true;
  }
}
