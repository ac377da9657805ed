/**
 * {@link SessionStore} on typeorm (SQLite or Postgres). Terms and state are stored as the JSON text of
 * `session-codec.ts`; every method is one transaction, and a state change is durable when its promise
 * resolves (the service acts on a transition only after that).
 *
 * The buy path (`listByClient`, then `create`) runs thousands of times a second, so those two are batched:
 * creates that queue up while the database is busy go out as ONE multi-row INSERT (`session-inserts.ts`),
 * and per-client reads that queue up as ONE `client_node_id IN (...)` SELECT (`keyed-reads.ts`). Each
 * caller still gets exactly what a statement of its own would give it.
 */
import type { EntityManager } from 'typeorm';
import { decodeState, decodeTerms, encodeState, encodeTerms } from '../../lsps2/session-codec.js';
import type { JitChannelState, JitChannelStateKind, JitSession } from '../../lsps2/session.js';
import { StaleSessionError, type SessionStore } from '../../lsps2/store.js';
import type { Database } from '../database.js';
import { FundingHashEntity, type FundingHashRow } from '../entities/funding-hash.entity.js';
import { JIT_SESSION_TABLE, JitSessionEntity, type JitSessionRow } from '../entities/jit-session.entity.js';
import { keyedReads, type KeyedReads } from '../keyed-reads.js';
import { placeholders, returning, select } from '../sql.js';
import { COLUMNS, SessionInserts } from './session-inserts.js';

/** Most clients in one batched per-client SELECT. */
export const MAX_READ_BATCH = 256;

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
  private readonly clientRows: KeyedReads<RawRow>;
  /** Batched `countLiveByClient` reads: the valid_until of each session not closed. */
  private readonly openValidity: KeyedReads<ValidityRow>;

  /** Batched `create` INSERTs. */
  private readonly inserts: SessionInserts;

  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.inserts = new SessionInserts(db);
    this.clientRows = keyedReads<RawRow>(
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
    this.openValidity = keyedReads<ValidityRow>(
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
    return this.inserts.insert(row, t.jitChannelScid);
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
    const rows = await this.clientRows.load(clientNodeId);
    return rows.map((r) => toSession(fromRaw(r))); // each caller decodes its own objects
  }

  /** The buy handler's per-client limit without decoding any JSON (batched like `listByClient`). */
  async countLiveByClient(clientNodeId: string, now: Date): Promise<number> {
    const rows = await this.openValidity.load(clientNodeId);
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
