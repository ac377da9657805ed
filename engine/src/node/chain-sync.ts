/**
 * Chain sync: brings LDK's `Confirm` listeners (ChannelManager, ChainMonitor, and restored ChannelMonitors
 * before they are watched) to the chain tip block by block, as lightning-block-sync does:
 * `transactions_confirmed` with the block's transactions, then `best_block_updated`.
 *
 * The node owns no chain logic: it subscribes to its {@link ChainSource} and hands every new tip to a
 * {@link ChainFollower}. This implementation follows heights on the best chain and does not handle
 * reorganisations; a hash-following, reorg-aware follower can replace it behind the same interface.
 */
import * as ldk from 'lightningdevkit';
import { fromHex } from '@jitlsp/shared/crypto';
import type { ChainBlock, ChainSource } from '../chain/types.js';
import type { NodeContext } from './context.js';

/** What the node hands chain data to. */
export interface ChainFollower {
  /** The height every listener has been brought to. */
  readonly height: number;
  /** A new best block was seen: bring the listeners up to it (asynchronously, in order). */
  tipChanged(tip: { height: number; hash: string }): void;
  /** Stop following and wait for the block being connected, if any. */
  stop(): Promise<void>;
}

const txdata = (b: ChainBlock): ldk.TwoTuple_usizeTransactionZ[] =>
  b.txs.map((t) => ldk.TwoTuple_usizeTransactionZ.constructor_new(t.index, t.tx));

export function connectBlock(target: ldk.Confirm, b: ChainBlock): void {
  target.transactions_confirmed(b.header, txdata(b), b.height);
  target.best_block_updated(b.header, b.height);
}

function connectBlockToMonitor(
  mon: ldk.ChannelMonitor,
  b: ChainBlock,
  broadcaster: ldk.BroadcasterInterface,
  fees: ldk.FeeEstimator,
  logger: ldk.Logger,
): void {
  mon.transactions_confirmed(b.header, txdata(b), b.height, broadcaster, fees, logger);
  mon.best_block_updated(b.header, b.height, broadcaster, fees, logger);
}

/** LDK's BlockHash bytes (internal order) from a display-order hash. */
export const blockHashBytes = (displayHex: string): Uint8Array => fromHex(displayHex).reverse();

/**
 * Brings restored monitors and the restored manager from their own best blocks to `tipHeight`, before the
 * monitors are handed to the ChainMonitor (LDK's documented restore order).
 */
export async function catchUpRestored(
  chain: ChainSource,
  tipHeight: number,
  monitors: ldk.ChannelMonitor[],
  manager: ldk.ChannelManager,
  ctx: { broadcaster: ldk.BroadcasterInterface; fees: ldk.FeeEstimator; logger: ldk.Logger },
): Promise<void> {
  for (const mon of monitors) {
    for (let h = mon.current_best_block().get_height() + 1; h <= tipHeight; h++) {
      const b = await chain.blockAt(h);
      if (b) connectBlockToMonitor(mon, b, ctx.broadcaster, ctx.fees, ctx.logger);
    }
  }
  for (let h = manager.current_best_block().get_height() + 1; h <= tipHeight; h++) {
    const b = await chain.blockAt(h);
    if (b) connectBlock(manager.as_Confirm(), b);
  }
}

/** Follows the best chain by height: reads each block above the synced height and connects it to every listener. */
export class HeightChainSync implements ChainFollower {
  private synced: number;
  private work: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ctx: Pick<NodeContext, 'chain' | 'kick' | 'log'>,
    /** The listeners, in the order blocks are connected to them (ChainMonitor before ChannelManager). */
    private readonly listeners: readonly ldk.Confirm[],
    startHeight: number,
  ) {
    this.synced = startHeight;
  }

  get height(): number {
    return this.synced;
  }

  tipChanged(tip: { height: number }): void {
    const target = tip.height;
    this.work = this.work
      .then(async () => {
        while (!this.stopped && this.synced < target) {
          const block = await this.ctx.chain.blockAt(this.synced + 1);
          if (!block || this.stopped) return;
          for (const l of this.listeners) connectBlock(l, block);
          this.synced = block.height;
        }
        this.ctx.kick();
      })
      .catch((err) => this.ctx.log('error', 'block sync failed', { error: String(err) }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.work;
  }
}
