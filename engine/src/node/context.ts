/** What every part of the node gets from it: the injected dependencies and the loop's controls. */
import type { LogFields, LogLevel } from '@jitlsp/shared/log';
import type { ChainSource, OnchainWallet } from '../chain/types.js';
import type { FileStore } from './store.js';

export interface NodeContext {
  readonly chain: ChainSource;
  /** Funds outbound channels; undefined when the node has no wallet. */
  readonly wallet: OnchainWallet | undefined;
  readonly store: FileStore;
  /** Injected randomness. */
  readonly random: (n: number) => Uint8Array;
  isStopped(): boolean;
  /** Ask for one pass of the event loop (coalesced). */
  kick(): void;
  /** Run `fn` after `ms` unless the node stops first. */
  later(fn: () => void, ms: number): void;
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

/** The node's timers, all cleared when it stops. */
export class Timers {
  private readonly all = new Set<NodeJS.Timeout>();

  /** Run `fn` after `ms`. */
  later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.all.delete(t);
      fn();
    }, ms);
    this.all.add(t);
  }

  /** Run `fn` every `ms` without keeping the process alive. */
  every(fn: () => void, ms: number): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.all.add(t);
  }

  clear(): void {
    for (const t of this.all) clearTimeout(t);
    this.all.clear();
  }
}
