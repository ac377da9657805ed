/**
 * The service's database handle: opens the DataSource (running the migrations), and runs every operation
 * either as a transaction (`write`) or a plain read (`read`). On SQLite every write is serialised by a
 * {@link Mutex}, because typeorm shares one connection there, and reads of a file run on a second
 * connection (WAL: they see the last COMMIT and never wait for the writer); on Postgres each operation runs
 * on a pooled connection.
 * `close()` stops new operations, waits for the ones in flight ("finish writes"), then closes the pool.
 *
 * SQLite runs in WAL mode with `synchronous = NORMAL`: a committed transaction survives the process being
 * killed at any point (kill -9), which is what acting only on stored states needs; only an operating-system
 * crash or power loss may lose the last few commits. The WAL is checkpointed by a connection of its own
 * every 250 ms rather than by whichever commit crosses SQLite's threshold. Postgres keeps its own (fully durable) defaults.
 */
import { open } from 'node:fs/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseTarget } from '../config/database-url.js';
import type { Dialect } from './columns.js';
import { createDataSource, createSqliteReader, type DataSourceExtras } from './data-source.js';
import { Mutex } from './mutex.js';

/**
 * How often a SQLite file's WAL is checkpointed, off the write path (instead of by a commit). Each pass syncs
 * the WAL before copying it, so frequent passes keep each sync small (at 2,000 buys/s the WAL grows by about
 * 28 MB a second); `npm run bench:service` shows the buy path's tail with this interval.
 */
export const SQLITE_CHECKPOINT_INTERVAL_MS = 250;

/** WAL size (4 KiB frames, so ~32 MiB) past which a checkpoint also makes the WAL restart (see `checkpoint`). */
export const SQLITE_WAL_RESTART_FRAMES = 8192;

/**
 * A restarting checkpoint takes the write lock only once a pass beside the writes found at most this many
 * frames committed during the pass before it (see `checkpoint`): the last pass, which writes wait for, then
 * copies about that many.
 */
export const SQLITE_WAL_RESTART_TAIL_FRAMES = 64;

/** Passes beside the writes, at most, before the one under the write lock (each copies less than the last). */
export const SQLITE_WAL_CONVERGE_PASSES = 4;

/** Most single-statement writes committed together on SQLite (bounds the latency of the first one). */
export const MAX_GROUP_COMMIT = 256;

export class DatabaseClosedError extends Error {
  constructor() {
    super('database: closed (the service is shutting down)');
    this.name = 'DatabaseClosedError';
  }
}

export class Database {
  private readonly mutex: Mutex | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing = false;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private checkpointing = false;
  private readonly batch: {
    fn: (m: EntityManager) => Promise<unknown>;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private batchScheduled = false;

  private constructor(
    readonly dataSource: DataSource,
    readonly dialect: Dialect,
    /** SQLite file: a second connection for `read` (WAL readers do not wait for the writer). */
    private readonly reader?: DataSource,
    /** SQLite file: a third connection for checkpoints (see `checkpoint`). */
    private readonly checkpointer?: DataSource,
    private readonly walRestartFrames = SQLITE_WAL_RESTART_FRAMES,
    /** SQLite file: its path (the checkpoint syncs it before the pass under the write lock). */
    private readonly sqlitePath?: string,
  ) {
    this.mutex = dialect === 'sqlite' ? new Mutex() : undefined;
    if (checkpointer) {
      this.checkpointTimer = setInterval(() => void this.checkpoint(), SQLITE_CHECKPOINT_INTERVAL_MS);
      this.checkpointTimer.unref();
    }
  }

  /**
   * Copies committed WAL frames into the database file on a connection of its own (reads never queue behind
   * it), beside the writes: a PASSIVE checkpoint, which new commits keep appending past meanwhile.
   *
   * SQLite restarts the WAL from its beginning only when a write begins with every frame already copied.
   * Under continuous writes a checkpoint running beside them never gets there (each ends behind the newest
   * commit), and the WAL grows by ~28 MB a second at 2,000 buys/s. So once the WAL holds
   * {@link SQLITE_WAL_RESTART_FRAMES} frames, the checkpoint converges: further passes beside the writes,
   * each copying what was committed during the previous one, until at most
   * {@link SQLITE_WAL_RESTART_TAIL_FRAMES} are left (or {@link SQLITE_WAL_CONVERGE_PASSES} passes ran); only
   * then does one last pass run under the write lock, and the next write restarts the WAL. Writes wait for
   * that short last pass only, not for a copy of everything committed since the first pass began.
   *
   * Durability does not depend on checkpoints (a commit is durable in the WAL); a pass that cannot finish
   * (a reader still on old frames) simply runs again at the next tick.
   */
  checkpoint(): Promise<void> {
    const ck = this.checkpointer;
    if (!ck || this.closing || this.checkpointing) return Promise.resolve();
    this.checkpointing = true;
    // A pass copies the frames in the WAL when it began (all of them, unless a reader holds some back), and
    // says how many that was.
    const pass = async () => ((await ck.query('PRAGMA wal_checkpoint(PASSIVE)')) as { log?: number }[])[0]?.log ?? 0;
    const beside = () => this.track(pass, false, false);
    const run = async () => {
      let frames = await beside();
      if (frames < this.walRestartFrames) return;
      // The frames a pass finds beyond the previous one's were committed during that previous pass, and
      // about as many will be committed during this one: once they are few, the next pass copies few.
      for (let i = 1, prev = frames; i < SQLITE_WAL_CONVERGE_PASSES && !this.closing; i++, prev = frames) {
        frames = await beside();
        if (frames < prev || frames - prev <= SQLITE_WAL_RESTART_TAIL_FRAMES) break;
      }
      if (frames < this.walRestartFrames) return;
      // SQLite syncs the database file only in a pass that copies the whole WAL, i.e. the one under the lock,
      // and that sync then writes back everything every earlier pass copied, under the lock. Synced now, beside
      // the writes, the locked pass finds only its own few pages to write back.
      if (this.sqlitePath) await this.track(() => syncFile(this.sqlitePath!), false, false);
      await this.track(pass);
    };
    return run()
      .catch(() => undefined)
      .finally(() => (this.checkpointing = false));
  }

  /** Opens the database and brings its schema up to date (migrations). */
  static async open(target: DatabaseTarget, extras: DataSourceExtras = {}): Promise<Database> {
    const ds = createDataSource(target, extras);
    await ds.initialize();
    if (target.kind === 'sqlite') {
      // See the file comment: durable against process death, fast enough for the buy path.
      await ds.query('PRAGMA synchronous = NORMAL');
      if (target.path !== ':memory:') {
        // Checkpoints move off the write path (see checkpoint()): the commit crossing SQLite's threshold
        // would otherwise copy the WAL into the database file and fsync it while every write waits.
        await ds.query('PRAGMA wal_autocheckpoint = 0');
        const reader = createSqliteReader(target.path);
        const checkpointer = createSqliteReader(target.path);
        try {
          await reader.initialize();
          await checkpointer.initialize();
        } catch (e) {
          await ds.destroy();
          throw e;
        }
        return new Database(ds, target.kind, reader, checkpointer, extras.walRestartFrames, target.path);
      }
    }
    return new Database(ds, target.kind);
  }

  /** True when reads queue behind writes (SQLite in memory); false when they run at once (a file, Postgres). */
  get readsQueue(): boolean {
    return this.mutex !== undefined && this.reader === undefined;
  }

  get isOpen(): boolean {
    return !this.closing && this.dataSource.isInitialized;
  }

  /** Runs `fn` in one transaction: all of its writes commit together or none does. */
  write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.track(() => this.dataSource.transaction(fn));
  }

  /**
   * Runs `fn`, which must issue exactly ONE writing statement (plus reads). A single statement is atomic on
   * both databases, so no explicit transaction is needed for it alone. On SQLite, single-statement writes
   * that queue up while another operation runs are GROUP-COMMITTED: one BEGIN, each statement, one COMMIT,
   * and every caller's promise resolves only after that COMMIT (durable on resolve, as the stores promise).
   * A failing statement (e.g. a unique violation) is rolled back alone by SQLite and rejects only its caller.
   * This is what lets the buy path persist thousands of sessions per second on one SQLite connection.
   */
  writeOne<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.mutex === undefined) return this.track(() => fn(this.dataSource.manager));
    if (this.closing) return Promise.reject(new DatabaseClosedError());
    return new Promise<T>((resolve, reject) => {
      this.batch.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.batchScheduled) {
        this.batchScheduled = true;
        this.track(() => this.flushBatch()).catch(() => undefined);
      }
    });
  }

  /** Runs the queued single-statement writes (under the SQLite mutex). */
  private async flushBatch(): Promise<void> {
    const ops = this.batch.splice(0, MAX_GROUP_COMMIT);
    this.batchScheduled = false;
    if (this.batch.length > 0) {
      // Accepted before close(): runs even while closing, and close() waits for it.
      this.batchScheduled = true;
      this.track(() => this.flushBatch(), true).catch(() => undefined);
    }
    if (ops.length === 1) {
      const op = ops[0]!;
      await op.fn(this.dataSource.manager).then(op.resolve, op.reject);
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.dataSource.transaction(async (m) => {
        for (const op of ops) {
          try {
            outcomes.push({ ok: true, value: await op.fn(m) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const op of ops) op.reject(error); // BEGIN or COMMIT failed: nothing is known to be durable
      return;
    }
    ops.forEach((op, i) => {
      const o = outcomes[i]!;
      if (o.ok) op.resolve(o.value);
      else op.reject(o.error);
    });
  }

  /**
   * Runs `fn` outside a transaction (reads only). On a SQLite file it runs on the reader connection, beside
   * the writes: it sees every write whose promise resolved (committed), never one in progress.
   */
  read<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.reader) {
      const reader = this.reader;
      return this.track(() => fn(reader.manager), false, false);
    }
    return this.track(() => fn(this.dataSource.manager));
  }

  /** True when a trivial query succeeds within `timeoutMs` (readiness probe). */
  async ping(timeoutMs = 2000): Promise<boolean> {
    if (!this.isOpen) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((res) => {
      timer = setTimeout(() => res(false), timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([this.read((m) => m.query('SELECT 1')).then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Refuses new operations, waits for those in flight, then closes the connection(s). Idempotent. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.checkpointTimer);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    if (this.reader?.isInitialized) await this.reader.destroy();
    if (this.checkpointer?.isInitialized) await this.checkpointer.destroy();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private track<T>(op: () => Promise<T>, acceptedBeforeClose = false, exclusive = true): Promise<T> {
    if (this.closing && !acceptedBeforeClose) return Promise.reject(new DatabaseClosedError());
    const p = this.mutex && exclusive ? this.mutex.run(op) : op();
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }
}

/** Writes a file's dirty pages back to the disk (fdatasync, on the thread pool). */
async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** True when `err` is a unique/primary-key violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown; message?: unknown }; message?: unknown };
  const code = e?.driverError?.code ?? e?.code;
  if (code === '23505') return true; // Postgres unique_violation
  const msg = String(e?.driverError?.message ?? e?.message ?? '');
  return code === 'SQLITE_CONSTRAINT' && /UNIQUE|PRIMARY KEY/i.test(msg);
}
