/**
 * ChainFollower: walks one consumer (an LDK node, later the wallet) along the best chain, linking blocks by
 * hash rather than by height, as LDK's `lightning-block-sync` does (`SpvClient` polling, `find_difference`).
 *
 * - Forward: the blocks above the consumer's best block are fetched in a pipeline (several `hashAt` /
 *   `blockByHash` pairs in flight) and handed over in order; each must name the previous one as its parent.
 * - Reorganisation: when the consumer's best block is no longer on the best chain, the follower walks back to
 *   the fork point (through the headers it handed out, then by `previousblockhash` beyond that window, which
 *   also covers a reorganisation that happened while the consumer was stopped: `init::synchronize_listeners`),
 *   reports the disconnected headers and the fork, then connects the new branch.
 *
 * The consumer says where it stands (`bestBlock()`), so a restarted node resumes from what it persisted.
 */
import type { BlockSource, ChainBlock, ChainHeader, ChainLog } from './types.js';
import { ChainDataError } from './errors.js';
import { prevHashOf } from './block.js';

/** The consumer side of a follower. Calls are synchronous and in chain order. */
export interface ChainListener {
  /** The block the consumer has processed last (LDK: `current_best_block`). */
  bestBlock(): { height: number; hash: string };
  /** The next block on top of the consumer's best block. */
  blockConnected(block: ChainBlock): void;
  /**
   * The blocks in `disconnected` (highest first) left the best chain; the consumer's best block is now `fork`,
   * their common ancestor with the new branch.
   */
  blocksDisconnected(fork: ChainHeader, disconnected: ChainHeader[]): void;
}

export interface ChainFollowerOptions {
  source: BlockSource;
  listener: ChainListener;
  /** How many handed-out headers to remember for fork detection (default 144, one day of blocks). */
  window?: number;
  /** Block fetches in flight during catch-up (default 16). */
  prefetch?: number;
  log?: ChainLog;
  /** Names the consumer in log lines. */
  name?: string;
}

export interface SyncResult {
  height: number;
  hash: string;
  connected: number;
  disconnected: number;
}

export class ChainFollower {
  /** Reorganisations seen since construction. */
  reorgs = 0;
  private readonly seen = new Map<number, ChainHeader>();
  private readonly source: BlockSource;
  private readonly listener: ChainListener;
  private readonly window: number;
  private readonly prefetch: number;
  private readonly log: ChainLog;
  private readonly name: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: ChainFollowerOptions) {
    this.source = opts.source;
    this.listener = opts.listener;
    this.window = Math.max(1, opts.window ?? 144);
    this.prefetch = Math.max(1, opts.prefetch ?? 16);
    this.log = opts.log ?? (() => {});
    this.name = opts.name ?? 'follower';
  }

  /** Brings the consumer to the current tip. Calls are serialised; a failed call leaves the consumer consistent. */
  sync(): Promise<SyncResult> {
    const run = this.queue.then(() => this.syncNow());
    this.queue = run.catch(() => {});
    return run;
  }

  private async syncNow(): Promise<SyncResult> {
    const result: SyncResult = { ...this.listener.bestBlock(), connected: 0, disconnected: 0 };
    // Each round either makes progress or sees the chain move; a source whose answers keep disagreeing with
    // each other (hashAt vs tip) is broken, not busy.
    for (let round = 0; ; round++) {
      if (round === 20) throw new ChainDataError('the chain source keeps giving inconsistent answers; not advancing');
      const best = this.listener.bestBlock();
      if ((await this.source.hashAt(best.height)) !== best.hash) {
        result.disconnected += await this.rewind(best);
        continue;
      }
      const tip = await this.source.tip();
      if (tip.height === best.height && tip.hash === best.hash) return { ...result, ...best };
      if (tip.height <= best.height) continue; // the chain moved between the two calls
      if (!(await this.connectUpTo(tip.height, result))) return { ...result, ...this.listener.bestBlock() };
    }
  }

  /** Connects blocks up to `tipHeight` through a fetch pipeline. Returns true when the chain moved under us. */
  private async connectUpTo(tipHeight: number, result: SyncResult): Promise<boolean> {
    let best = this.listener.bestBlock();
    let next = best.height + 1;
    const inFlight: Promise<ChainBlock | undefined>[] = [];
    const fill = () => {
      while (inFlight.length < this.prefetch && next <= tipHeight) {
        const height = next++;
        const p = this.source
          .hashAt(height)
          .then((hash) => (hash === undefined ? undefined : this.source.blockByHash(hash, height)));
        p.catch(() => {}); // a fetch abandoned after a reorganisation must not become an unhandled rejection
        inFlight.push(p);
      }
    };
    fill();
    while (inFlight.length > 0) {
      const block = await inFlight.shift()!;
      if (block === undefined) return true; // the chain got shorter
      if (prevHashOf(block.header) !== best.hash) {
        if ((await this.source.hashAt(best.height)) === best.hash) {
          throw new ChainDataError(
            `block ${block.hash} at height ${block.height} does not chain onto ${best.hash} at ${best.height}`,
          );
        }
        return true;
      }
      this.listener.blockConnected(block);
      this.remember({ height: block.height, hash: block.hash, prevHash: best.hash, header: block.header });
      best = { height: block.height, hash: block.hash };
      result.connected++;
      fill();
    }
    return false;
  }

  /** Walks back from `best` to the fork point and tells the listener. Returns the number of blocks disconnected. */
  private async rewind(best: { height: number; hash: string }): Promise<number> {
    const disconnected: ChainHeader[] = [];
    let cur = this.seen.get(best.height);
    if (cur?.hash !== best.hash) cur = await this.source.headerByHash(best.hash);
    for (;;) {
      if ((await this.source.hashAt(cur.height)) === cur.hash) break;
      disconnected.push(cur);
      if (cur.height === 0) throw new ChainDataError(`no common ancestor with the best chain below ${best.hash}`);
      const parent: ChainHeader | undefined = this.seen.get(cur.height - 1);
      cur = parent?.hash === cur.prevHash ? parent : await this.source.headerByHash(cur.prevHash);
      if (cur.height !== disconnected[disconnected.length - 1].height - 1) {
        throw new ChainDataError(`header ${cur.hash} claims height ${cur.height}, expected its child's minus one`);
      }
    }
    const fork = cur;
    for (const h of [...this.seen.keys()]) if (h > fork.height) this.seen.delete(h);
    this.reorgs++;
    this.log('warn', 'chain reorganisation', {
      consumer: this.name,
      forkHeight: fork.height,
      forkHash: fork.hash,
      depth: disconnected.length,
      disconnected: disconnected.map((d) => d.hash),
    });
    this.listener.blocksDisconnected(fork, disconnected);
    return disconnected.length;
  }

  private remember(h: ChainHeader): void {
    this.seen.set(h.height, h);
    this.seen.delete(h.height - this.window);
  }
}
