/**
 * Feeding blocks to LDK's `Confirm` listeners (ChannelManager, ChainMonitor, and restored ChannelMonitors
 * before they are watched), block by block, as lightning-block-sync does: `transactions_confirmed` with the
 * block's transactions, then `best_block_updated`.
 */
import * as ldk from 'lightningdevkit';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { ChainBlock } from '../chain/types.js';

const txdata = (b: ChainBlock): ldk.TwoTuple_usizeTransactionZ[] =>
  b.txs.map((t) => ldk.TwoTuple_usizeTransactionZ.constructor_new(t.index, t.tx));

export function connectBlock(target: ldk.Confirm, b: ChainBlock): void {
  target.transactions_confirmed(b.header, txdata(b), b.height);
  target.best_block_updated(b.header, b.height);
}

export function connectBlockToMonitor(
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
export const blockHashBytes = (displayHex: string): Uint8Array => hexToBytes(displayHex).reverse();
