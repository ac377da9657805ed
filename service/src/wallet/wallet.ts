/**
 * The on-chain wallet's shell: holds the pure `WalletState` (shared/src/wallet), runs each event through its
 * transition, writes the changes in one database transaction, and only then makes the new state current. Every
 * operation runs under one lock, so the stored and the in-memory wallet never diverge; a failed write leaves
 * the previous state current.
 *
 * Blocks arrive from a follower (`blocksConnected` / `blockDisconnected`); transactions leave through the
 * broadcaster the caller passes. A send is recorded before it is broadcast (a crash in between rebroadcasts it
 * at start, `rebroadcastUnconfirmed`) and forgotten again if the chain refuses it.
 */
import { randomUUID } from 'node:crypto';
import type { ChainBlock } from '@jitlsp/engine/chain';
import {
  WalletChainError,
  WalletKeys,
  blockConnected,
  blockDisconnected,
  buildCpfpChild,
  buildPayment,
  buildSend,
  dropUnconfirmed,
  initialWalletState,
  isEmpty,
  reservationMade,
  reservationReleased,
  transactionSent,
  walletBalance,
  walletChanges,
  type BuiltTransaction,
  type WalletBalance,
  type WalletBlock,
  type WalletNetwork,
  type WalletState,
} from '@jitlsp/shared/wallet';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Mutex } from '../db/mutex.js';
import type { Logger } from '../log.js';
import type { WalletStore } from './store.js';

export interface OnChainWalletOptions {
  store: WalletStore;
  /** The node's seed: the wallet derives its own BIP 84 account from it (never logged). */
  seed: Uint8Array;
  network: WalletNetwork;
  /** Used on the first start only: the height a restore rescans from. */
  birthdayHeight: number;
  gapLimit?: number;
  clock?: () => Date;
  logger: Logger;
}

/** Broadcasts a raw transaction, resolving to its txid; rejects when the chain refuses it. */
export type Broadcast = (raw: Uint8Array) => Promise<string>;

export interface SendRequest {
  address: string;
  amountSat?: bigint;
  all?: boolean;
  feeRateSatPerVb: bigint;
}

/** A block as the follower hands it over, converted for the wallet core (previous hash from the header). */
export function walletBlockOf(block: ChainBlock): WalletBlock {
  return {
    height: block.height,
    hash: block.hash,
    previousHash: bytesToHex(block.header.slice(4, 36).reverse()),
    txs: block.txs.map((t) => t.tx),
  };
}

export class OnChainWallet {
  private current: WalletState;
  private readonly lock = new Mutex();

  private constructor(
    private readonly store: WalletStore,
    readonly keys: WalletKeys,
    state: WalletState,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {
    this.current = state;
  }

  /** Loads the stored wallet, or creates one at `birthdayHeight` on the first start. */
  static async open(opts: OnChainWalletOptions): Promise<OnChainWallet> {
    const keys = WalletKeys.fromSeed(opts.seed, opts.network);
    const log = opts.logger.child({ component: 'wallet' });
    let state = await opts.store.load();
    if (state === undefined) {
      state = initialWalletState({
        network: opts.network,
        birthdayHeight: opts.birthdayHeight,
        gapLimit: opts.gapLimit,
      });
      await opts.store.create(state);
      log.info('wallet created', { network: opts.network, birthday_height: opts.birthdayHeight });
    } else if (state.network !== opts.network) {
      throw new Error(`wallet: the stored wallet is for ${state.network}, the service runs on ${opts.network}`);
    }
    const wallet = new OnChainWallet(opts.store, keys, state, opts.clock ?? (() => new Date()), log);
    const b = walletBalance(state);
    log.info('wallet loaded', { tip_height: state.tip?.height, utxos: b.utxos, confirmed_sat: b.confirmedSat });
    return wallet;
  }

  get state(): WalletState {
    return this.current;
  }

  balance(): WalletBalance {
    return walletBalance(this.current);
  }

  /** Applies blocks in order, all in one database transaction (a catch-up batch). */
  blocksConnected(blocks: ChainBlock[]): Promise<void> {
    return this.transition((s) => blocks.reduce((acc, b) => blockConnected(acc, this.keys, walletBlockOf(b)), s));
  }

  blockDisconnected(block: { height: number; hash: string }): Promise<void> {
    return this.transition((s) => blockDisconnected(s, block));
  }

  /** A fresh receive address (the index is stored before the address is handed out). */
  async newAddress(): Promise<string> {
    let index = -1;
    await this.transition((s) => {
      index = s.next.receive;
      return { ...s, next: { ...s.next, receive: index + 1 } };
    });
    return this.keys.address('receive', index);
  }

  /** Builds, records and broadcasts a withdrawal. Nothing is spent when building or broadcasting fails. */
  async send(req: SendRequest, broadcast: Broadcast): Promise<BuiltTransaction> {
    let built: BuiltTransaction | undefined;
    await this.transition((s) => {
      const r = buildSend(s, this.keys, req);
      built = r.built;
      return transactionSent(r.state, this.keys, r.built.raw, this.clock().getTime());
    });
    await this.broadcastOrForget(built!, broadcast);
    return built!;
  }

  /**
   * A signed transaction paying `valueSat` to `outputScript` (a channel funding output), its inputs reserved
   * under `reservationId` until the spend confirms or `release` is called. Not broadcast.
   */
  async fund(req: {
    outputScript: Uint8Array;
    valueSat: bigint;
    feeRateSatPerVb: bigint;
    reservationId?: string;
    purpose: string;
  }): Promise<BuiltTransaction & { reservationId: string }> {
    const reservationId = req.reservationId ?? randomUUID();
    let built: BuiltTransaction | undefined;
    await this.transition((s) => {
      const r = buildPayment(s, this.keys, {
        outputs: [{ script: req.outputScript, amountSat: req.valueSat }],
        feeRateSatPerVb: req.feeRateSatPerVb,
      });
      built = r.built;
      return reservationMade(r.state, {
        id: reservationId,
        outpoints: r.built.inputs,
        purpose: req.purpose,
        nowMs: this.clock().getTime(),
      });
    });
    return { ...built!, reservationId };
  }

  /** Gives reserved outputs back (the open failed). Repeating it is harmless. */
  release(reservationId: string): Promise<void> {
    return this.transition((s) => reservationReleased(s, reservationId));
  }

  /** Records a transaction of ours handed to the broadcaster elsewhere (a funding transaction LDK broadcasts). */
  transactionBroadcast(raw: Uint8Array): Promise<void> {
    return this.transition((s) => transactionSent(s, this.keys, raw, this.clock().getTime()));
  }

  /** Child pays for parent from the change of an unconfirmed transaction of ours; recorded and broadcast. */
  async bumpByCpfp(parentTxid: string, feeRateSatPerVb: bigint, broadcast: Broadcast): Promise<BuiltTransaction> {
    let built: BuiltTransaction | undefined;
    await this.transition((s) => {
      const r = buildCpfpChild(s, this.keys, { parentTxid, feeRateSatPerVb });
      built = r.built;
      return transactionSent(r.state, this.keys, r.built.raw, this.clock().getTime());
    });
    await this.broadcastOrForget(built!, broadcast);
    return built!;
  }

  /** Sends again every unconfirmed transaction of ours (at start: a crash may have come before the broadcast). */
  async rebroadcastUnconfirmed(broadcast: Broadcast): Promise<number> {
    const pending = [...this.current.ownTransactions.values()].filter((t) => t.height === undefined);
    for (const t of pending.sort((a, b) => a.createdAtMs - b.createdAtMs)) {
      try {
        await broadcast(t.raw);
      } catch (err) {
        this.log.warn('wallet rebroadcast refused', { txid: t.txid, err });
      }
    }
    return pending.length;
  }

  /**
   * Forgets every block and scans again from the birthday (a reorganisation deeper than the undo window).
   * Indexes handed out and reservations are kept; unconfirmed transactions of ours are forgotten (the chain
   * source's broadcaster journal keeps sending them, and their outputs come back when they confirm).
   */
  rescanReset(): Promise<void> {
    return this.transition((s) => {
      const fresh: WalletState = {
        ...initialWalletState({ network: s.network, birthdayHeight: s.birthdayHeight, gapLimit: s.gapLimit }),
        next: s.next,
        reservations: s.reservations,
      };
      this.log.warn('wallet rescans from its birthday', {
        birthday_height: s.birthdayHeight,
        tip_height: s.tip?.height,
      });
      return fresh;
    });
  }

  private async broadcastOrForget(built: BuiltTransaction, broadcast: Broadcast): Promise<void> {
    try {
      await broadcast(built.raw);
    } catch (err) {
      this.log.warn('wallet transaction refused by the chain; its inputs are spendable again', {
        txid: built.txid,
        err,
      });
      await this.transition((s) => dropUnconfirmed(s, built.txid));
      throw err;
    }
  }

  /** Runs `fn` on the current state under the lock, stores the changes, then makes the result current. */
  private transition(fn: (s: WalletState) => WalletState): Promise<void> {
    return this.lock.run(async () => {
      const before = this.current;
      const after = fn(before);
      const changes = walletChanges(before, after);
      if (isEmpty(changes)) return;
      await this.store.apply(after, changes);
      this.current = after;
    });
  }
}

export { WalletChainError };
