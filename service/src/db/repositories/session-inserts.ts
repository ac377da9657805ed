/**
 * The batched INSERT behind `SessionRepository.create`: creates that queue up while the database is busy go
 * out as ONE multi-row INSERT (in the SQLite group commit). Each caller gets what a statement of its own
 * would give it (SessionExistsError for a taken SCID, and for the second of two creates with the same SCID),
 * and resolves only once its row is durable.
 */
import type { EntityManager } from 'typeorm';
import { SessionExistsError } from '../../lsps2/store.js';
import type { Database } from '../database.js';
import { JIT_SESSION_TABLE, type JitSessionRow } from '../entities/jit-session.entity.js';
import { placeholders, returning } from '../sql.js';

/** Most rows in one batched INSERT (9 parameters each: far below both databases' parameter limits). */
export const MAX_CREATE_BATCH = 256;
/** The columns of a session row, in the order `insertRows` binds them. */
export const COLUMNS =
  'jit_channel_scid, client_node_id, state_kind, terms, state, valid_until_ms, version, created_at_ms, updated_at_ms';

interface PendingCreate {
  row: JitSessionRow;
  scid: bigint;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class SessionInserts {
  private readonly creates: PendingCreate[] = [];
  private createScheduled = false;
  private createRunning = false;

  constructor(private readonly db: Database) {}

  /** Stores `row` (the session `scid`); rejects with SessionExistsError if the SCID is taken. */
  insert(row: JitSessionRow, scid: bigint): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.creates.push({ row, scid, resolve, reject });
      if (!this.createScheduled && !(this.createRunning && this.loopWhileQueued)) this.scheduleCreates();
    });
  }

  /**
   * Postgres runs each operation at once on a pooled connection (no queue), so there batches form only
   * when one batched operation at a time is in flight: it loops, each statement taking everything that
   * queued during the previous one, and resolves each statement's callers as soon as it returns (it
   * autocommits). On SQLite the database's own queue forms the batches (the next statement joins the next
   * group commit), and callers resolve only after that COMMIT.
   */
  private get loopWhileQueued(): boolean {
    return this.db.dialect === 'postgres';
  }

  /** One queued write inserting the creates pending when it runs (statements of MAX_CREATE_BATCH rows). */
  private scheduleCreates(): void {
    this.createScheduled = true;
    const loop = this.loopWhileQueued;
    let ran = false;
    const taken: PendingCreate[] = [];
    const outcomes: (() => void)[] = []; // SQLite: settled once the group commit is durable
    this.db
      .writeOne(async (m) => {
        ran = true;
        this.createScheduled = false;
        this.createRunning = true;
        try {
          for (let batch = this.creates.splice(0); batch.length > 0; batch = loop ? this.creates.splice(0) : []) {
            for (let i = 0; i < batch.length; i += MAX_CREATE_BATCH) {
              const chunk = batch.slice(i, i + MAX_CREATE_BATCH);
              taken.push(...chunk);
              const outcome = await this.insertRows(m, chunk).then(
                (ok) => () =>
                  chunk.forEach((c) => (ok.has(c) ? c.resolve() : c.reject(new SessionExistsError(c.scid)))),
                (e: unknown) => () => chunk.forEach((c) => c.reject(e)),
              );
              if (loop)
                outcome(); // Postgres: the statement autocommitted
              else outcomes.push(outcome);
            }
          }
        } finally {
          this.createRunning = false;
        }
      })
      .then(
        () => outcomes.forEach((settle) => settle()),
        (e: unknown) => {
          // The COMMIT failed: nothing taken is durable (callers already settled stay settled). Never
          // ran (database closed): fail what waits.
          for (const c of taken) c.reject(e);
          if (!ran) {
            for (const c of this.creates.splice(0)) c.reject(e);
            this.createScheduled = false;
          }
        },
      );
  }

  /** INSERT ... ON CONFLICT DO NOTHING RETURNING; resolves the creates whose row this statement stored. */
  private async insertRows(m: EntityManager, batch: PendingCreate[]): Promise<Set<PendingCreate>> {
    // Two creates with one SCID in one statement: the first is inserted (or conflicts), the second is
    // refused, as two statements in a row would do.
    const seen = new Set<string>();
    const unique = batch.filter((c) => !seen.has(c.row.jitChannelScid) && seen.add(c.row.jitChannelScid));
    const params: unknown[] = [];
    const values = unique.map((c, i) => {
      const r = c.row;
      params.push(
        r.jitChannelScid,
        r.clientNodeId,
        r.stateKind,
        r.terms,
        r.state,
        r.validUntilMs,
        r.version,
        r.createdAtMs,
        r.updatedAtMs,
      );
      return `(${placeholders(this.db.dialect, 9, i * 9).join(', ')})`;
    });
    // RETURNING lists exactly the rows this statement inserted (SQLite >= 3.35, Postgres).
    const rows = await returning<{ jit_channel_scid: string }>(
      m,
      `/* lsps2 sessions */ INSERT INTO ${JIT_SESSION_TABLE} (${COLUMNS}) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING RETURNING jit_channel_scid`,
      params,
    );
    const stored = new Set(rows.map((r) => r.jit_channel_scid));
    return new Set(unique.filter((c) => stored.has(c.row.jitChannelScid)));
  }
}
