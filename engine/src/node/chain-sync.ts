/**
 * Chain sync: LDK's `Confirm` listeners (ChainMonitor and ChannelManager, and restored ChannelMonitors before
 * they are watched) follow the best chain through a {@link ChainFollower}, which links blocks by hash, as
 * lightning-block-sync does:
 * - a connected block: `transactions_confirmed` with its transactions, then `best_block_updated`;
 * - a reorganisation: `transaction_unconfirmed` for every relevant transaction the disconnected blocks had
 *   confirmed (`get_relevant_txids`: confirmed above the fork or in a disconnected block), then
 *   `best_block_updated` to the fork (LDK accepts a lower height and rewinds to it), then the new branch;
 * - at start: each restored object resumes from its own stored best block, and is rewound first when that
 *   block left the chain while the node was stopped (`init::synchronize_listeners`).
 */
import * as ldk from 'lightningdevkit';
import { fromHex, toHex } from '@jitlsp/shared/crypto';
import { ChainFollower, type ChainListener } from '../chain/follower.js';
import type { BlockSource, ChainBlock, ChainHeader } from '../chain/types.js';
import type { NodeContext } from './context.js';

/** What the node hands new tips to. */
export interface ChainSync {
  /** The height every listener has been brought to. */
  readonly height: number;
  /** Reorganisations the listeners went through. */
  readonly reorgs: number;
  /** A new best block was seen: bring the listeners up to it (asynchronously, in order). */
  tipChanged(tip: { height: number; hash: string }): void;
  /** Stop following and wait for the block being connected, if any. */
  stop(): Promise<void>;
}

/** LDK's BlockHash bytes (internal order) from a display-order hash. */
export const blockHashBytes = (displayHex: string): Uint8Array => fromHex(displayHex).reverse();
const displayHash = (internal: Uint8Array): string => toHex(Uint8Array.from(internal).reverse());

const txdata = (b: ChainBlock): ldk.TwoTuple_usizeTransactionZ[] =>
  b.txs.map((t) => ldk.TwoTuple_usizeTransactionZ.constructor_new(t.index, t.tx));

/** One LDK object fed through the `Confirm` calls (a `Confirm` trait object, or a ChannelMonitor directly). */
interface ConfirmTarget {
  connect(b: ChainBlock): void;
  relevantTxids(): ldk.ThreeTuple_ThirtyTwoBytesu32COption_ThirtyTwoBytesZZ[];
  unconfirm(txid: Uint8Array): void;
  bestBlockUpdated(header: Uint8Array, height: number): void;
}

function confirmTarget(c: ldk.Confirm): ConfirmTarget {
  return {
    connect: (b) => {
      c.transactions_confirmed(b.header, txdata(b), b.height);
      c.best_block_updated(b.header, b.height);
    },
    relevantTxids: () => c.get_relevant_txids(),
    unconfirm: (txid) => c.transaction_unconfirmed(txid),
    bestBlockUpdated: (header, height) => c.best_block_updated(header, height),
  };
}

interface MonitorDeps {
  broadcaster: ldk.BroadcasterInterface;
  fees: ldk.FeeEstimator;
  logger: ldk.Logger;
}

function monitorTarget(m: ldk.ChannelMonitor, d: MonitorDeps): ConfirmTarget {
  return {
    connect: (b) => {
      m.transactions_confirmed(b.header, txdata(b), b.height, d.broadcaster, d.fees, d.logger);
      m.best_block_updated(b.header, b.height, d.broadcaster, d.fees, d.logger);
    },
    relevantTxids: () => m.get_relevant_txids(),
    unconfirm: (txid) => m.transaction_unconfirmed(txid, d.broadcaster, d.fees, d.logger),
    bestBlockUpdated: (header, height) => m.best_block_updated(header, height, d.broadcaster, d.fees, d.logger),
  };
}

/** Feeds blocks to LDK targets; where they stand is LDK's own record (`current_best_block`). */
class ConfirmListener implements ChainListener {
  constructor(
    private readonly targets: readonly ConfirmTarget[],
    private readonly best: () => ldk.BestBlock,
  ) {}

  bestBlock(): { height: number; hash: string } {
    const b = this.best();
    return { height: b.get_height(), hash: displayHash(b.get_block_hash()) };
  }

  blockConnected(b: ChainBlock): void {
    for (const t of this.targets) t.connect(b);
  }

  blocksDisconnected(fork: ChainHeader, disconnected: ChainHeader[]): void {
    const gone = new Set(disconnected.map((d) => d.hash));
    for (const t of this.targets) {
      for (const r of t.relevantTxids()) {
        const in_ = r.get_c();
        const blockHash = in_ instanceof ldk.Option_ThirtyTwoBytesZ_Some ? displayHash(in_.some) : undefined;
        if (r.get_b() > fork.height || (blockHash !== undefined && gone.has(blockHash))) t.unconfirm(r.get_a());
      }
      t.bestBlockUpdated(fork.header, fork.height);
    }
  }
}

/**
 * Brings restored monitors, then the restored manager, from their own best blocks to the tip (rewinding what
 * a reorganisation while the node was down disconnected), before the monitors are handed to the ChainMonitor
 * (LDK's documented restore order). Resolves to the manager's height.
 */
export async function catchUpRestored(
  chain: BlockSource,
  monitors: ldk.ChannelMonitor[],
  manager: ldk.ChannelManager,
  deps: MonitorDeps & { log: NodeContext['log'] },
): Promise<number> {
  const log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, f?: Record<string, unknown>) =>
    deps.log(level, msg, f);
  for (const mon of monitors) {
    const listener = new ConfirmListener([monitorTarget(mon, deps)], () => mon.current_best_block());
    await new ChainFollower({ source: chain, listener, log, name: 'restored-monitor' }).sync();
  }
  const listener = new ConfirmListener([confirmTarget(manager.as_Confirm())], () => manager.current_best_block());
  return (await new ChainFollower({ source: chain, listener, log, name: 'restored-manager' }).sync()).height;
}

/** The node's live sync: ChainMonitor then ChannelManager, behind one follower, one sync at a time. */
export class FollowerChainSync implements ChainSync {
  private readonly follower: ChainFollower;
  private synced: number;
  private work: Promise<void> = Promise.resolve();
  private queued = false;
  private stopped = false;

  constructor(
    private readonly ctx: Pick<NodeContext, 'chain' | 'kick' | 'log' | 'later'>,
    /** The listeners, in the order blocks are connected to them (ChainMonitor before ChannelManager). */
    listeners: readonly ldk.Confirm[],
    /** Where the listeners stand: the ChannelManager's best block. */
    best: () => ldk.BestBlock,
    name: string,
  ) {
    const listener = new ConfirmListener(listeners.map(confirmTarget), best);
    this.synced = listener.bestBlock().height;
    this.follower = new ChainFollower({
      source: ctx.chain,
      listener: {
        bestBlock: () => listener.bestBlock(),
        blockConnected: (b) => {
          if (this.stopped) throw new Error('chain sync stopped');
          listener.blockConnected(b);
          this.synced = b.height;
        },
        blocksDisconnected: (fork, gone) => {
          listener.blocksDisconnected(fork, gone);
          this.synced = fork.height;
        },
      },
      log: (level, msg, f) => ctx.log(level, msg, f),
      name,
    });
  }

  get height(): number {
    return this.synced;
  }

  get reorgs(): number {
    return this.follower.reorgs;
  }

  tipChanged(): void {
    if (this.queued || this.stopped) return; // one sync after the current one covers every tip seen meanwhile
    this.queued = true;
    this.work = this.work
      .then(async () => {
        this.queued = false;
        if (this.stopped) return;
        await this.follower.sync();
        this.ctx.kick();
      })
      .catch((err) => {
        if (this.stopped) return;
        this.ctx.log('error', 'block sync failed; retrying', { error: String(err) });
        this.ctx.later(() => this.tipChanged(), 5000);
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.work;
  }
}
