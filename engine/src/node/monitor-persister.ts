/**
 * LDK `Persist` for ChannelMonitors, off the event loop and incremental (the design of LDK's
 * `MonitorUpdatingPersister`, written for files and Node's asynchronous I/O):
 * - every callback returns `InProgress` at once; the bytes are written by libuv's thread pool, and only once they
 *   are durable is LDK told, with `ChainMonitor::channel_monitor_updated`, so LDK never acts on a state that is
 *   not on disk (it holds the channel's outgoing messages until then);
 * - a `ChannelMonitorUpdate` is appended to the channel's log (small, O(1)); the full monitor, which grows with
 *   every state, is written only every `consolidateEvery` updates, when LDK hands no update (chain sync, or an
 *   update the monitor refused) and for a new channel; the log is then reset;
 * - group commit: updates that arrive while a write is in flight are written together by the next one, one
 *   fdatasync per channel for all of them, and the channels of a batch are synced in parallel.
 * Layout and restart: monitor-files.ts. A write that fails is retried (the channel stays frozen meanwhile rather
 * than risk funds).
 *
 * The monitor handed to these callbacks is an owned clone of the whole ChannelMonitor (`new ChannelMonitor(null,
 * ptr)` in the bindings' Persist.mjs); it is freed right after use instead of waiting for the JS finalizer
 * (docs/ldk-pitfalls.md, "Memory").
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import * as ldk from 'lightningdevkit';
import * as raw from 'lightningdevkit/bindings.mjs';
import { CommonBase } from 'lightningdevkit/structs/CommonBase.mjs';
import { frame, MONITOR_DIR, monitorName, UPDATE_DIR } from './monitor-files.js';
import type { FileStore } from './store.js';

const base = CommonBase as unknown as { get_ptr_of(o: object): bigint; set_null_skip_free(o: object): void };
const rawFree = (raw as unknown as { ChannelMonitor_free(ptr: bigint): void }).ChannelMonitor_free;

/** Free an owned monitor clone now (and make sure the finalizer does not free it again). */
export function freeMonitorNow(monitor: ldk.ChannelMonitor): void {
  const ptr = base.get_ptr_of(monitor);
  if (ptr === 0n) return;
  base.set_null_skip_free(monitor);
  rawFree(ptr);
}

/**
 * The former persister, kept as `NodeOptions.monitorPersistence: 'full-sync'` (the benchmarks' same-process
 * baseline): the whole monitor written with write-then-rename and fsync on the event loop for every update, then
 * `Completed`; on a write failure `InProgress`, never completed (the channel freezes rather than risk funds).
 */
export function fullSyncPersister(
  store: FileStore,
  log: (msg: string, fields: Record<string, unknown>) => void,
): ldk.Persist {
  const write = (outpoint: ldk.OutPoint, monitor: ldk.ChannelMonitor): ldk.ChannelMonitorUpdateStatus => {
    const name = `${monitorName(outpoint)}.bin`;
    try {
      store.writeAtomic(`${MONITOR_DIR}/${name}`, monitor.write());
      return ldk.ChannelMonitorUpdateStatus.LDKChannelMonitorUpdateStatus_Completed;
    } catch (err) {
      log('monitor write failed; channel update left in progress', { file: name, error: String(err) });
      return ldk.ChannelMonitorUpdateStatus.LDKChannelMonitorUpdateStatus_InProgress;
    } finally {
      freeMonitorNow(monitor);
    }
  };
  return ldk.Persist.new_impl({
    persist_new_channel: (outpoint, monitor) => write(outpoint, monitor),
    update_persisted_channel: (outpoint, _update, monitor) => write(outpoint, monitor),
    archive_persisted_channel: (outpoint) => {
      const name = `${monitorName(outpoint)}.bin`;
      store.move(`${MONITOR_DIR}/${name}`, `archive/${name}`);
    },
  });
}

type Op =
  | { kind: 'update'; bytes: Uint8Array; id: bigint }
  | { kind: 'full'; bytes: Uint8Array; id: bigint }
  | { kind: 'archive' };

interface Channel {
  name: string;
  txid: Uint8Array;
  index: number;
  ops: Op[];
  /** Updates queued since the last full monitor was queued (the consolidation counter). */
  sinceFull: number;
  log?: fsp.FileHandle;
}

export interface MonitorPersisterOptions {
  /** The node's data directory. */
  dir: string;
  /** fsync (default true; false only for benchmarks that measure everything but the disk). */
  durable?: boolean;
  /** Write the full monitor every this many updates (default 64). */
  consolidateEvery?: number;
  /** Tell LDK an update is durable: `chainMonitor.channel_monitor_updated(funding, id)`. */
  completed: (funding: ldk.OutPoint, updateId: bigint) => void;
  log: (level: 'warn' | 'error' | 'debug', msg: string, fields: Record<string, unknown>) => void;
  /** Pause before retrying a failed write (default 1000 ms). */
  retryMs?: number;
  /**
   * Runs after a batch is durable and before LDK is told (tests kill the process here: the update is on disk,
   * LDK never learned it).
   */
  beforeComplete?: () => void | Promise<void>;
}

export interface MonitorPersisterStats {
  /** Batches written (each: one fdatasync per channel in it). */
  batches: number;
  updatesWritten: number;
  fullWrites: number;
  /** Time spent with a batch in flight (the thread pool's writes and syncs; not event-loop time). */
  ioMs: number;
}

export class MonitorPersister {
  readonly persist: ldk.Persist;
  private readonly channels = new Map<string, Channel>();
  private running = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly every: number;
  private readonly durable: boolean;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counters: MonitorPersisterStats = { batches: 0, updatesWritten: 0, fullWrites: 0, ioMs: 0 };

  constructor(private readonly opts: MonitorPersisterOptions) {
    this.every = opts.consolidateEvery ?? 64;
    this.durable = opts.durable ?? true;
    if (!(Number.isInteger(this.every) && this.every >= 1))
      throw new RangeError(`Node/monitorPersister.consolidateEvery: expected an integer >= 1, got ${this.every}`);
    this.persist = ldk.Persist.new_impl({
      persist_new_channel: (outpoint, monitor) => this.full(outpoint, monitor),
      update_persisted_channel: (outpoint, update, monitor) => {
        const c = this.channel(outpoint);
        // No update: chain sync, or an update the monitor refused; LDK asks for the whole monitor then.
        if (base.get_ptr_of(update) === 0n || c.sinceFull + 1 >= this.every) return this.full(outpoint, monitor);
        try {
          c.ops.push({ kind: 'update', bytes: update.write(), id: update.get_update_id() });
          c.sinceFull++;
        } finally {
          freeMonitorNow(monitor);
        }
        this.schedule();
        return ldk.ChannelMonitorUpdateStatus.LDKChannelMonitorUpdateStatus_InProgress;
      },
      archive_persisted_channel: (outpoint) => {
        this.channel(outpoint).ops.push({ kind: 'archive' });
        this.schedule();
      },
    });
  }

  stats(): MonitorPersisterStats {
    return { ...this.counters };
  }

  /** Resolves once every queued write is durable and reported (or after `close`). */
  idle(): Promise<void> {
    if (!this.running && ![...this.channels.values()].some((c) => c.ops.length > 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Finish what is queued, then close the log files; later callbacks are still accepted but not written. */
  async close(): Promise<void> {
    await this.idle();
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const c of this.channels.values()) {
      await c.log?.close().catch(() => undefined);
      c.log = undefined;
    }
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private full(outpoint: ldk.OutPoint, monitor: ldk.ChannelMonitor): ldk.ChannelMonitorUpdateStatus {
    const c = this.channel(outpoint);
    try {
      c.ops.push({ kind: 'full', bytes: monitor.write(), id: monitor.get_latest_update_id() });
      c.sinceFull = 0;
    } finally {
      freeMonitorNow(monitor);
    }
    this.schedule();
    return ldk.ChannelMonitorUpdateStatus.LDKChannelMonitorUpdateStatus_InProgress;
  }

  private channel(outpoint: ldk.OutPoint): Channel {
    const name = monitorName(outpoint);
    let c = this.channels.get(name);
    if (!c) {
      // The callback's outpoint is LDK's reference: keep copies of its fields.
      c = { name, txid: Uint8Array.from(outpoint.get_txid()), index: outpoint.get_index(), ops: [], sinceFull: 0 };
      this.channels.set(name, c);
    }
    return c;
  }

  /** Start a batch after the current JS task (so everything one event-loop pass queued goes together). */
  private schedule(): void {
    if (this.running || this.closed || this.retryTimer) return;
    this.running = true;
    queueMicrotask(() => void this.run());
  }

  private async run(): Promise<void> {
    for (;;) {
      const batch = [...this.channels.values()]
        .filter((c) => c.ops.length > 0)
        .map((c) => ({ c, ops: c.ops.splice(0) }));
      if (batch.length === 0 || this.closed) break;
      const t0 = performance.now();
      const results = await Promise.allSettled(batch.map(({ c, ops }) => this.write(c, ops)));
      this.counters.ioMs += performance.now() - t0;
      this.counters.batches++;
      const done: { c: Channel; ops: Op[] }[] = [];
      let failed = false;
      results.forEach((r, i) => {
        const { c, ops } = batch[i];
        if (r.status === 'fulfilled') done.push(batch[i]);
        else {
          failed = true;
          c.ops.unshift(...ops); // written again, in order, by the retry (a replayed frame is skipped on restart)
          this.opts.log('error', 'monitor write failed; channel updates stay in progress', {
            channel: c.name,
            error: String(r.reason),
          });
        }
      });
      if (done.length > 0 && this.opts.beforeComplete) await this.opts.beforeComplete();
      for (const { c, ops } of done) {
        for (const op of ops) {
          if (op.kind === 'archive') continue;
          op.kind === 'update' ? this.counters.updatesWritten++ : this.counters.fullWrites++;
          this.opts.completed(ldk.OutPoint.constructor_new(c.txid, c.index), op.id);
        }
        if (ops.some((o) => o.kind === 'archive') && c.ops.length === 0) this.channels.delete(c.name);
      }
      if (failed) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.schedule();
        }, this.opts.retryMs ?? 1000);
        break;
      }
    }
    this.running = false;
    if (!this.retryTimer) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Write one channel's queued operations, in order; resolves once they are durable. */
  private async write(c: Channel, ops: Op[]): Promise<void> {
    const dir = this.opts.dir;
    const logPath = path.join(dir, UPDATE_DIR, `${c.name}.log`);
    let i = 0;
    while (i < ops.length) {
      const op = ops[i];
      if (op.kind === 'archive') {
        await c.log?.close();
        c.log = undefined;
        await fsp.mkdir(path.join(dir, 'archive'), { recursive: true, mode: 0o700 });
        await moveIfPresent(path.join(dir, MONITOR_DIR, `${c.name}.bin`), path.join(dir, 'archive', `${c.name}.bin`));
        await moveIfPresent(logPath, path.join(dir, 'archive', `${c.name}.log`));
        i++;
        continue;
      }
      // The last full monitor before the next archive supersedes every update queued before it.
      let j = i;
      while (j < ops.length && ops[j].kind !== 'archive') j++;
      const span = ops.slice(i, j);
      let lastFull = -1;
      span.forEach((o, k) => o.kind === 'full' && (lastFull = k));
      const appends = span.slice(lastFull + 1) as Extract<Op, { kind: 'update' }>[];
      if (lastFull >= 0) {
        // Full monitor durable first, then the log reset: never a reset log beside an older full monitor.
        await this.writeAtomic(
          path.join(dir, MONITOR_DIR, `${c.name}.bin`),
          (span[lastFull] as { bytes: Uint8Array }).bytes,
        );
        await c.log?.close();
        c.log = undefined;
        await this.writeAtomic(logPath, concat(appends.map((u) => frame(u.bytes))));
      } else if (appends.length > 0) {
        if (!c.log) {
          await fsp.mkdir(path.dirname(logPath), { recursive: true, mode: 0o700 });
          const existed = await fsp.stat(logPath).then(
            () => true,
            () => false,
          );
          c.log = await fsp.open(logPath, 'a', 0o600);
          if (!existed && this.durable) await syncDir(path.dirname(logPath));
        }
        await c.log.write(concat(appends.map((u) => frame(u.bytes))));
        if (this.durable) await c.log.datasync();
      }
      i = j;
    }
  }

  private async writeAtomic(target: string, bytes: Uint8Array): Promise<void> {
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.tmp`;
    const fh = await fsp.open(tmp, 'w', 0o600);
    try {
      await fh.write(bytes);
      if (this.durable) await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, target);
    if (this.durable) await syncDir(path.dirname(target));
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function moveIfPresent(from: string, to: string): Promise<void> {
  try {
    await fsp.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
