/**
 * {@link SessionStore} on typeorm (SQLite or Postgres). Terms and state are stored as the JSON text of
 * `session-codec.ts`; every method is one transaction, and a state change is durable when its promise
 * resolves (the service acts on a transition only after that).
 *
 * The buy path (`listByClient`, then `create`) runs thousands of times a second, so those two are batched:
 * creates that queue up while the database is busy go out as ONE multi-row INSERT (in the SQLite group
 * commit), and per-client reads that queue up as ONE `client_node_id IN (...)` SELECT. Each caller still
 * gets exactly what a statement of its own would give it (its sessions; SessionExistsError for a taken
 * SCID, and for the second of two creates with the same SCID), and a create resolves only once durable.
 */
import type { EntityManager } from 'typeorm';
import { decodeState, decodeTerms, encodeState, encodeTerms } from '../../lsps2/session-codec.js';
import type { JitChannelState, JitChannelStateKind, JitSession } from '../../lsps2/session.js';
import { SessionExistsError, StaleSessionError, type SessionStore } from '../../lsps2/store.js';
import type { Database } from '../database.js';
import { FundingHashEntity, type FundingHashRow } from '../entities/funding-hash.entity.js';
import { JIT_SESSION_TABLE, JitSessionEntity, type JitSessionRow } from '../entities/jit-session.entity.js';
import { placeholders, select } from '../sql.js';

/** Most rows in one batched INSERT (9 parameters each: far below both databases' parameter limits). */
export const MAX_CREATE_BATCH = 256;
/** Most clients in one batched per-client SELECT. */
export const MAX_READ_BATCH = 256;

const COLUMNS =
  'jit_channel_scid, client_node_id, state_kind, terms, state, valid_until_ms, version, created_at_ms, updated_at_ms';

interface PendingCreate {
  row: JitSessionRow;
  scid: bigint;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface PendingRead {
  resolve: (s: JitSession[]) => void;
  reject: (e: unknown) => void;
}

/** A row as either driver returns it (node-postgres gives int8 as a string). */
type RawRow = {
  jit_channel_scid: string;
  client_node_id: string;
  state_kind: string;
  terms: string;
  state: string;
  valid_until_ms: string | number;
  version: string | number;
  created_at_ms: string | number;
  updated_at_ms: string | number;
};

export class SessionRepository implements SessionStore {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date()
  ) {}

  private readonly creates: PendingCreate[] = [];
  private createScheduled = false;
  private readonly reads = new Map<string, PendingRead[]>();
  private readScheduled = false;

  create(session: JitSession): Promise<void> {
    const t = session.terms;
    const row: JitSessionRow = {
      jitChannelScid: t.jitChannelScid.toString(),
      clientNodeId: t.clientNodeId,
      stateKind: session.state.kind,
      terms: encodeTerms(t),
      state: encodeState(session.state),
      validUntilMs: t.feeParams.validUntil.getTime(),
      version: 0,
      createdAtMs: t.createdAt.getTime(),
      updatedAtMs: session.updatedAt.getTime(),
    };
    return new Promise<void>((resolve, reject) => {
      this.creates.push({ row, scid: t.jitChannelScid, resolve, reject });
      if (!this.createScheduled) this.scheduleCreates();
    });
  }

  /**
   * One queued write inserting every create pending when it runs (in statements of MAX_CREATE_BATCH rows).
   * Creates arriving after it started queue a write of their own.
   */
  private scheduleCreates(): void {
    this.createScheduled = true;
    let batch: PendingCreate[] | undefined;
    this.db
      .writeOne(async (m) => {
        batch = this.creates.splice(0);
        this.createScheduled = false;
        const inserted = new Set<PendingCreate>();
        for (let i = 0; i < batch.length; i += MAX_CREATE_BATCH) {
          for (const c of await this.insertRows(m, batch.slice(i, i + MAX_CREATE_BATCH))) inserted.add(c);
        }
        return inserted;
      })
      .then(
        (inserted) => {
          for (const c of batch!) {
            if (inserted.has(c)) c.resolve();
            else c.reject(new SessionExistsError(c.scid));
          }
        },
        (e: unknown) => {
          // A statement (or the COMMIT) failed; if none ran (database closed), fail what waits.
          if (batch === undefined) {
            batch = this.creates.splice(0);
            this.createScheduled = false;
          }
          for (const c of batch) c.reject(e);
        }
      );
  }

  /** INSERT ... ON CONFLICT DO NOTHING RETURNING; resolves the creates whose row this statement stored. */
  private async insertRows(m: EntityManager, batch: PendingCreate[]): Promise<PendingCreate[]> {
    // Two creates with one SCID in one statement: the first is inserted (or conflicts), the second is
    // refused, as two statements in a row would do.
    const seen = new Set<string>();
    const unique = batch.filter((c) => !seen.has(c.row.jitChannelScid) && seen.add(c.row.jitChannelScid));
    const params: unknown[] = [];
    const values = unique.map((c, i) => {
      const r = c.row;
      params.push(r.jitChannelScid, r.clientNodeId, r.stateKind, r.terms, r.state, r.validUntilMs, r.version, r.createdAtMs, r.updatedAtMs);
      return `(${placeholders(this.db.dialect, 9, i * 9).join(', ')})`;
    });
    // RETURNING lists exactly the rows this statement inserted (SQLite >= 3.35, Postgres). The leading
    // comment matters on SQLite: typeorm runs statements starting with "INSERT " through sqlite3's run(),
    // which drops returned rows; any other start goes through all(), which returns them.
    const rows = await select<{ jit_channel_scid: string }>(
      m,
      `/* lsps2 sessions */ INSERT INTO ${JIT_SESSION_TABLE} (${COLUMNS}) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING RETURNING jit_channel_scid`,
      params
    );
    const stored = new Set(rows.map((r) => r.jit_channel_scid));
    return unique.filter((c) => stored.has(c.row.jitChannelScid));
  }

  async update(scid: bigint, state: JitChannelState, expectedVersion: number, now: Date): Promise<JitSession> {
    const key = scid.toString();
    const stateText = encodeState(state);
    // One write statement (plus reads), so it can join a SQLite group commit. The version check in the
    // UPDATE's WHERE is what makes it safe against a concurrent writer; the terms never change, so the
    // result is built from the row read before the write.
    return this.db.writeOne(async (m) => {
      const before = await m.findOneBy(JitSessionEntity, { jitChannelScid: key });
      if (before === null || before.version !== expectedVersion) throw new StaleSessionError(scid, expectedVersion, before?.version);
      const res = await m
        .createQueryBuilder()
        .update(JitSessionEntity)
        .set({ state: stateText, stateKind: state.kind, version: expectedVersion + 1, updatedAtMs: now.getTime() })
        .where('jit_channel_scid = :key AND version = :v', { key, v: expectedVersion })
        .execute();
      if (res.affected !== 1) {
        const current = await m.findOneBy(JitSessionEntity, { jitChannelScid: key });
        throw new StaleSessionError(scid, expectedVersion, current?.version);
      }
      return toSession({ ...before, state: stateText, stateKind: state.kind, version: expectedVersion + 1, updatedAtMs: now.getTime() });
    });
  }

  async get(scid: bigint): Promise<JitSession | undefined> {
    const row = await this.db.read((m) => m.findOneBy(JitSessionEntity, { jitChannelScid: scid.toString() }));
    return row === null ? undefined : toSession(row);
  }

  listByClient(clientNodeId: string): Promise<JitSession[]> {
    return new Promise<JitSession[]>((resolve, reject) => {
      const waiting = this.reads.get(clientNodeId);
      if (waiting) waiting.push({ resolve, reject });
      else this.reads.set(clientNodeId, [{ resolve, reject }]);
      if (!this.readScheduled) this.scheduleReads();
    });
  }

  /** One queued read answering every per-client read pending when it runs. */
  private scheduleReads(): void {
    this.readScheduled = true;
    let batch: [string, PendingRead[]][] | undefined;
    this.db
      .read(async (m) => {
        batch = this.takeReads();
        const ids = batch.map(([id]) => id);
        return select<RawRow>(
          m,
          `SELECT ${COLUMNS} FROM ${JIT_SESSION_TABLE} WHERE client_node_id IN (${placeholders(this.db.dialect, ids.length).join(', ')}) ` +
            'ORDER BY created_at_ms ASC, jit_channel_scid ASC',
          ids
        );
      })
      .then(
        (raw) => {
          const byClient = new Map<string, RawRow[]>();
          for (const r of raw) {
            const list = byClient.get(r.client_node_id);
            if (list) list.push(r);
            else byClient.set(r.client_node_id, [r]);
          }
          for (const [id, waiters] of batch!) {
            const rows = (byClient.get(id) ?? []).map(fromRaw);
            for (const w of waiters) {
              try {
                w.resolve(rows.map(toSession)); // each caller gets its own objects
              } catch (e) {
                w.reject(e);
              }
            }
          }
        },
        (e: unknown) => {
          for (const [, waiters] of batch ?? this.takeReads()) for (const w of waiters) w.reject(e);
        }
      );
  }

  private takeReads(): [string, PendingRead[]][] {
    const batch: [string, PendingRead[]][] = [];
    for (const entry of this.reads) {
      if (batch.length >= MAX_READ_BATCH) break;
      batch.push(entry);
    }
    for (const [id] of batch) this.reads.delete(id);
    this.readScheduled = false;
    if (this.reads.size > 0) this.scheduleReads();
    return batch;
  }

  async listOpen(): Promise<JitSession[]> {
    const rows = await this.db.read((m) =>
      m
        .createQueryBuilder(JitSessionEntity, 's')
        .where('s.state_kind <> :closed', { closed: 'closed' })
        .orderBy('s.created_at_ms', 'ASC')
        .addOrderBy('s.jit_channel_scid', 'ASC')
        .getMany()
    );
    return rows.map(toSession);
  }

  async reserveFundingHash(paymentHash: string, scid: bigint): Promise<boolean> {
    const key = scid.toString();
    // One write (plus a read): joins the SQLite group commit.
    return this.db.writeOne(async (m) => {
      const row: FundingHashRow = { paymentHash, jitChannelScid: key, createdAtMs: this.clock().getTime() };
      // INSERT OR IGNORE (SQLite) / ON CONFLICT DO NOTHING (Postgres): the primary key decides the race.
      await m.createQueryBuilder().insert().into(FundingHashEntity).values(row).orIgnore().execute();
      const holder = await m.findOneBy(FundingHashEntity, { paymentHash });
      return holder?.jitChannelScid === key;
    });
  }

  async releaseFundingHash(paymentHash: string, scid: bigint): Promise<void> {
    await this.db.writeOne((m) => m.delete(FundingHashEntity, { paymentHash, jitChannelScid: scid.toString() }));
  }

  async pruneClosedBefore(cutoff: Date): Promise<number> {
    const res = await this.db.writeOne((m) =>
      m
        .createQueryBuilder()
        .delete()
        .from(JitSessionEntity)
        .where('state_kind = :closed AND updated_at_ms < :cutoff', { closed: 'closed', cutoff: cutoff.getTime() })
        .execute()
    );
    return res.affected ?? 0;
  }

  // ---- beyond the SessionStore contract: operator queries (admin API, metrics) ----

  /** The most recently created sessions, newest first, optionally of one state kind. */
  async listRecent(opts: { limit: number; stateKind?: JitChannelStateKind }): Promise<JitSession[]> {
    const rows = await this.db.read((m) =>
      m.find(JitSessionEntity, {
        where: opts.stateKind ? { stateKind: opts.stateKind } : {},
        order: { createdAtMs: 'DESC', jitChannelScid: 'DESC' },
        take: opts.limit,
      })
    );
    return rows.map(toSession);
  }

  /** Number of sessions in each state kind (kinds with no session are absent). */
  async countByState(): Promise<Partial<Record<JitChannelStateKind, number>>> {
    const rows: { kind: string; n: string | number }[] = await this.db.read((m: EntityManager) =>
      m
        .createQueryBuilder(JitSessionEntity, 's')
        .select('s.state_kind', 'kind')
        .addSelect('COUNT(*)', 'n')
        .groupBy('s.state_kind')
        .getRawMany()
    );
    const out: Partial<Record<JitChannelStateKind, number>> = {};
    for (const r of rows) out[r.kind as JitChannelStateKind] = Number(r.n);
    return out;
  }

  /** The session holding `paymentHash` as its funding payment, if any. */
  async fundingHashHolder(paymentHash: string): Promise<bigint | undefined> {
    const row = await this.db.read((m) => m.findOneBy(FundingHashEntity, { paymentHash }));
    return row ? BigInt(row.jitChannelScid) : undefined;
  }
}

function fromRaw(r: RawRow): JitSessionRow {
  return {
    jitChannelScid: r.jit_channel_scid,
    clientNodeId: r.client_node_id,
    stateKind: r.state_kind,
    terms: r.terms,
    state: r.state,
    validUntilMs: Number(r.valid_until_ms),
    version: Number(r.version),
    createdAtMs: Number(r.created_at_ms),
    updatedAtMs: Number(r.updated_at_ms),
  };
}

/** Decodes a row; a corrupted row is reported with its SCID and the field at fault. */
function toSession(row: JitSessionRow): JitSession {
  try {
    return {
      terms: decodeTerms(row.terms),
      state: decodeState(row.state),
      version: row.version,
      updatedAt: new Date(row.updatedAtMs),
    };
  } catch (e) {
    throw new TypeError(`lsps2_sessions[${row.jitChannelScid}]: ${(e as Error).message}`);
  }
}
