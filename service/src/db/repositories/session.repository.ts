/**
 * {@link SessionStore} on typeorm (SQLite or Postgres). Terms and state are stored as the JSON text of
 * `session-codec.ts`; every method is one transaction, and a state change is durable when its promise
 * resolves (the service acts on a transition only after that).
 */
import type { EntityManager } from 'typeorm';
import { decodeState, decodeTerms, encodeState, encodeTerms } from '../../lsps2/session-codec.js';
import type { JitChannelState, JitChannelStateKind, JitSession } from '../../lsps2/session.js';
import { SessionExistsError, StaleSessionError, type SessionStore } from '../../lsps2/store.js';
import { type Database, isUniqueViolation } from '../database.js';
import { FundingHashEntity, type FundingHashRow } from '../entities/funding-hash.entity.js';
import { JitSessionEntity, type JitSessionRow } from '../entities/jit-session.entity.js';

export class SessionRepository implements SessionStore {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date()
  ) {}

  async create(session: JitSession): Promise<void> {
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
    try {
      await this.db.writeOne((m) => m.insert(JitSessionEntity, row));
    } catch (e) {
      if (isUniqueViolation(e)) throw new SessionExistsError(t.jitChannelScid);
      throw e;
    }
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

  async listByClient(clientNodeId: string): Promise<JitSession[]> {
    const rows = await this.db.read((m) =>
      m.find(JitSessionEntity, { where: { clientNodeId }, order: { createdAtMs: 'ASC', jitChannelScid: 'ASC' } })
    );
    return rows.map(toSession);
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
