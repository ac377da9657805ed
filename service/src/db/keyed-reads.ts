/**
 * Per-key reads (e.g. "the sessions of client X") batched by DataLoader: the reads that queue up while the
 * database answers one batch go out as ONE query over all their keys (`... WHERE key IN (...)`). The buy
 * path reads once per request, so under load this turns hundreds of round trips into one. Each caller gets
 * the rows of its key in the query's order, what a query of its own would have returned at that moment:
 * nothing is cached between batches.
 *
 * One batch is in flight at a time: the next one collects the keys that arrive meanwhile and is sent when
 * the previous one is answered (a batch larger than `maxKeys` is split, and its parts go out at once).
 */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { Database } from './database.js';

/** The rows of each key; a caller may share its array with other callers of the same key: do not mutate it. */
export type KeyedReads<R> = DataLoader<string, readonly R[]>;

const NONE: readonly never[] = Object.freeze([]);

/**
 * @param query reads the rows of these keys (at most `maxKeys`), in the order callers should see them.
 * @param keyOf the key a row belongs to.
 */
export function keyedReads<R>(
  db: Database,
  query: (m: EntityManager, keys: string[]) => Promise<R[]>,
  keyOf: (row: R) => string,
  maxKeys = 256,
): KeyedReads<R> {
  let previous: Promise<unknown> = Promise.resolve();
  return new DataLoader<string, readonly R[]>(
    (keys) => {
      const batch = db
        .read((m) => query(m, [...keys]))
        .then((rows) => {
          const byKey = new Map<string, R[]>();
          for (const r of rows) {
            const k = keyOf(r);
            const list = byKey.get(k);
            if (list) list.push(r);
            else byKey.set(k, [r]);
          }
          return keys.map((k) => byKey.get(k) ?? NONE);
        });
      previous = batch.catch(() => undefined);
      return batch;
    },
    { cache: false, maxBatchSize: maxKeys, batchScheduleFn: (send) => void previous.then(send) },
  );
}
