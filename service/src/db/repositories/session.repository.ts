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
import { KeyedReadBatcher } from '../keyed-read-batcher.js';
import { placeholders, returning, select } from '../sql.js';

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

type ValidityRow = { client_node_id: string; valid_until_ms: string | number };

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
  /** Batched `listByClient` reads. */
  private readonly clientRows: KeyedReadBatcher<RawRow>;
  /** Batched `countLiveByClient` reads: the valid_until of each session not closed. */
  private readonly openValidity: KeyedReadBatcher<ValidityRow>;

  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.clientRows = new KeyedReadBatcher<RawRow>(
      this.db,
      (m, ids) =>
        select<RawRow>(
          m,
          `SELECT ${COLUMNS} FROM ${JIT_SESSION_TABLE} WHERE client_node_id IN (${placeholders(this.db.dialect, ids.length).join(', ')}) ` +
            'ORDER BY created_at_ms ASC, jit_channel_scid ASC',
          ids,
        ),
      (r) => r.client_node_id,
      MAX_READ_BATCH,
    );
    this.openValidity = new KeyedReadBatcher<ValidityRow>(
      this.db,
      (m, ids) =>
        select(
          m,
          `SELECT client_node_id, valid_until_ms FROM ${JIT_SESSION_TABLE} WHERE client_node_id IN (${placeholders(this.db.dialect, ids.length).join(', ')}) ` +
            `AND state_kind <> 'closed'`,
          ids,
        ),
      (r) => r.client_node_id,
      MAX_READ_BATCH,
    );
  }

  private readonly creates: PendingCreate[] = [];
  private createScheduled = false;
  private createRunning = false;

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

  async update(scid: bigint, state: JitChannelState, expectedVersion: number, now: Date): Promise<JitSession> {
    const key = scid.toString();
    const stateText = encodeState(state);
    const d = this.db.dialect;
    const [pState, pKind, pVersion, pUpdated, pKey, pExpected] = placeholders(d, 6);
    // ONE statement (the payment path runs it for every HTLC), so it joins a SQLite group commit. The
    // version check in the WHERE makes it safe against a concurrent writer; RETURNING hands back the terms
    // (immutable) and the created time, from which the result is built.
    return this.db.writeOne(async (m) => {
      const rows = await returning<{
        terms: string;
        created_at_ms: string | number;
        client_node_id: string;
        valid_until_ms: string | number;
      }>(
        m,
        `/* lsps2 sessions */ UPDATE ${JIT_SESSION_TABLE} SET state = ${pState}, state_kind = ${pKind}, version = ${pVersion}, updated_at_ms = ${pUpdated} ` +
          `WHERE jit_channel_scid = ${pKey} AND version = ${pExpected} RETURNING terms, created_at_ms, client_node_id, valid_until_ms`,
        [stateText, state.kind, expectedVersion + 1, now.getTime(), key, expectedVersion],
      );
      const r = rows[0];
      if (r === undefined) {
        const current = await m.findOneBy(JitSessionEntity, { jitChannelScid: key });
        throw new StaleSessionError(scid, expectedVersion, current?.version);
      }
      return toSession({
        jitChannelScid: key,
        clientNodeId: r.client_node_id,
        stateKind: state.kind,
        terms: r.terms,
        state: stateText,
        validUntilMs: Number(r.valid_until_ms),
        version: expectedVersion + 1,
        createdAtMs: Number(r.created_at_ms),
        updatedAtMs: now.getTime(),
      });
    });
  }

  async get(scid: bigint): Promise<JitSession | undefined> {
    const row = await this.db.read((m) => m.findOneBy(JitSessionEntity, { jitChannelScid: scid.toString() }));
    return row === null ? undefined : toSession(row);
  }

  async listByClient(clientNodeId: string): Promise<JitSession[]> {
    const rows = await this.clientRows.read(clientNodeId);
    return rows.map((r) => toSession(fromRaw(r))); // each caller decodes its own objects
  }

  /** The buy handler's per-client limit without decoding any JSON (batched like `listByClient`). */
  async countLiveByClient(clientNodeId: string, now: Date): Promise<number> {
    const rows = await this.openValidity.read(clientNodeId);
    let n = 0;
    for (const r of rows) if (Number(r.valid_until_ms) > now.getTime()) n++;
    return n;
  }

  async listOpen(): Promise<JitSession[]> {
    const rows = await this.db.read((m) =>
      m
        .createQueryBuilder(JitSessionEntity, 's')
        .where('s.state_kind <> :closed', { closed: 'closed' })
        .orderBy('s.created_at_ms', 'ASC')
        .addOrderBy('s.jit_channel_scid', 'ASC')
        .getMany(),
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
        .execute(),
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
      }),
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
        .getRawMany(),
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
