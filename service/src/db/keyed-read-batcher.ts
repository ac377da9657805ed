/**
 * Per-key reads (e.g. "the sessions of client X") that queue up while the database is busy, answered by
 * ONE query over all their keys (`... WHERE key IN (...)`). The buy path reads once per request, so under
 * load this turns hundreds of round trips into one. Each caller gets the rows of its key in the query's
 * order, exactly what a query of its own would have returned at that moment.
 *
 * Where reads run at once (a SQLite file's reader connection, Postgres' pool), one batch is in flight at a
 * time and it loops, each query taking the keys that queued during the previous one. Where reads queue
 * behind writes (SQLite in memory), every read queued before the batch runs joins it.
 */
import type { EntityManager } from 'typeorm';
import type { Database } from './database.js';

interface Waiter<R> {
  resolve: (rows: R[]) => void;
  reject: (e: unknown) => void;
}

export class KeyedReadBatcher<R> {
  private readonly pending = new Map<string, Waiter<R>[]>();
  private scheduled = false;
  private running = false;

  /**
   * @param query reads the rows of these keys (at most `maxKeys`), in the order callers should see them.
   * @param keyOf the key a row belongs to.
   */
  constructor(
    private readonly db: Database,
    private readonly query: (m: EntityManager, keys: string[]) => Promise<R[]>,
    private readonly keyOf: (row: R) => string,
    private readonly maxKeys = 256,
  ) {}

  /** The rows of `key`. The array may be shared with other callers of the same key: do not mutate it. */
  read(key: string): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled && !(this.running && this.loops)) this.schedule();
    });
  }

  private get loops(): boolean {
    return !this.db.readsQueue;
  }

  private schedule(): void {
    this.scheduled = true;
    let ran = false;
    this.db
      .read(async (m) => {
        ran = true;
        this.scheduled = false;
        this.running = true;
        try {
          for (let batch = this.take(); batch.length > 0; batch = this.loops ? this.take() : []) {
            for (let i = 0; i < batch.length; i += this.maxKeys) {
              const chunk = batch.slice(i, i + this.maxKeys);
              await this.query(
                m,
                chunk.map(([key]) => key),
              ).then(
                (rows) => this.answer(chunk, rows),
                (e: unknown) => chunk.forEach(([, ws]) => ws.forEach((w) => w.reject(e))),
              );
            }
          }
        } finally {
          this.running = false;
        }
      })
      .catch((e: unknown) => {
        if (ran) return; // every read taken was answered
        for (const [, ws] of this.take()) for (const w of ws) w.reject(e); // never ran (database closed)
        this.scheduled = false;
      });
  }

  private take(): [string, Waiter<R>[]][] {
    const batch = [...this.pending];
    this.pending.clear();
    return batch;
  }

  private answer(batch: [string, Waiter<R>[]][], rows: R[]): void {
    const byKey = new Map<string, R[]>();
    for (const r of rows) {
      const k = this.keyOf(r);
      const list = byKey.get(k);
      if (list) list.push(r);
      else byKey.set(k, [r]);
    }
    for (const [key, ws] of batch) {
      const mine = byKey.get(key) ?? [];
      for (const w of ws) w.resolve(mine);
    }
  }
}
