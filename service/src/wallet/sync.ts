/**
 * Keeps the wallet on the chain's best branch: from the wallet's tip, walks back while the chain has another
 * block at that height (disconnecting each, newest first), then connects the chain's blocks up to its tip in
 * batches (one database transaction per batch), fetching a few blocks ahead. A walk back below the wallet's
 * undo window becomes a rescan from the birthday.
 *
 * It reads only the chain source's `tip` and `blockAt`, and is triggered by `subscribe` (new blocks) and at
 * start. Catch-ups never overlap: a trigger during one runs another after it.
 */
import type { ChainBlock, ChainSource } from '@jitlsp/engine/chain';
import { nextHeight } from '@jitlsp/shared/wallet';
import type { Logger } from '../log.js';
import { OnChainWallet, WalletChainError } from './wallet.js';

/** What the wallet reads from a chain source. */
export type WalletBlockSource = Pick<ChainSource, 'tip' | 'blockAt'>;

/** Blocks written per database transaction during a catch-up. */
export const CATCH_UP_BATCH = 100;
/** Blocks fetched ahead of the one being applied. */
const PREFETCH = 8;

export class WalletSync {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly wallet: OnChainWallet,
    private readonly chain: WalletBlockSource,
    private readonly log: Logger,
    private readonly onProgress?: (height: number, tipHeight: number) => void,
  ) {}

  /** Brings the wallet to the chain tip; resolves when it is there (or rejects with the error that stopped it). */
  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.once();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async once(): Promise<void> {
    await this.rewind();
    const tip = await this.chain.tip();
    let height = nextHeight(this.wallet.state);
    const ahead = new Map<number, Promise<ChainBlock | undefined>>();
    const fetch = (h: number) => {
      for (let k = h; k <= Math.min(h + PREFETCH, tip.height); k++)
        if (!ahead.has(k)) ahead.set(k, this.chain.blockAt(k));
      const p = ahead.get(h)!;
      ahead.delete(h);
      return p;
    };
    while (height <= tip.height) {
      const batch: ChainBlock[] = [];
      while (batch.length < CATCH_UP_BATCH && height <= tip.height) {
        const block = await fetch(height);
        if (block === undefined) break; // the chain shrank under us: the next trigger rewinds
        batch.push(block);
        height++;
      }
      if (batch.length === 0) return;
      try {
        await this.wallet.blocksConnected(batch);
      } catch (err) {
        if (err instanceof WalletChainError) return this.catchUpAgainLater(err); // a reorg mid catch-up
        throw err;
      }
      this.onProgress?.(batch[batch.length - 1].height, tip.height);
    }
  }

  /** Disconnects wallet blocks the chain no longer has (newest first). */
  private async rewind(): Promise<void> {
    for (;;) {
      const tip = this.wallet.state.tip;
      if (tip === undefined) return;
      const block = await this.chain.blockAt(tip.height);
      if (block?.hash === tip.hash) return;
      try {
        await this.wallet.blockDisconnected(tip);
        this.log.info('wallet block disconnected', { height: tip.height, hash: tip.hash });
      } catch (err) {
        if (!(err instanceof WalletChainError) || !err.needsRescan) throw err;
        await this.wallet.rescanReset();
        return;
      }
    }
  }

  private catchUpAgainLater(err: Error): void {
    this.log.info('wallet catch-up met a reorganisation; following again', { error: err.message });
    this.again = true;
  }
}
