/**
 * The typeorm repositories against real databases: the same suite runs on a SQLite file and on Postgres.
 */
import { expect } from 'chai';
import { Database, DatabaseClosedError } from '../../src/db/database.js';
import { MIGRATIONS_TABLE } from '../../src/db/data-source.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { JitSessionEntity } from '../../src/db/entities/jit-session.entity.js';
import { MailboxRepository } from '../../src/db/repositories/mailbox.repository.js';
import { SessionRepository } from '../../src/db/repositories/session.repository.js';
import { SessionExistsError, StaleSessionError, type HeldOnionMessage } from '../../src/lsps2/store.js';
import { busyState, CLIENT_A, CLIENT_B, closedState, makeSession, T0 } from './fixtures.js';
import { databaseSiteFactories, sqliteSite, type TestDatabaseSite } from './targets.js';

const factories = await databaseSiteFactories();
const U64_MAX = (1n << 64n) - 1n;
const at = (ms: number) => new Date(T0.getTime() + ms);

function heldMessage(
  peer: string,
  seq: number,
  body: number[],
  overrides: Partial<HeldOnionMessage> = {},
): HeldOnionMessage {
  return {
    id: `${peer.slice(0, 2)}${seq.toString(16).padStart(62, '0')}`,
    peerNodeId: peer,
    seq,
    message: Uint8Array.from(body),
    receivedAt: at(seq),
    expiresAt: at(600_000 + seq),
    ...overrides,
  };
}

for (const factory of factories) {
  const title = `persistence on ${factory.name}` + (factory.skipReason ? ` (skipped: ${factory.skipReason})` : '');
  (factory.skipReason ? describe.skip : describe)(title, function () {
    let site: TestDatabaseSite;
    let db: Database;
    let sessions: SessionRepository;
    let mailbox: MailboxRepository;

    beforeEach(async () => {
      site = await factory.create();
      db = await site.open();
      sessions = new SessionRepository(db, () => T0);
      mailbox = new MailboxRepository(db);
    });
    afterEach(async () => {
      await db.close();
      await site.destroy();
    });

    describe('migrations', () => {
      it('creates the schema from the hand-written migrations and records them', async () => {
        const rows: { name: string }[] = await db.read((m) => m.query(`SELECT name FROM ${MIGRATIONS_TABLE}`));
        expect(rows.map((r) => r.name)).to.deep.equal(MIGRATIONS.map((M) => new M().name));
      });

      it('runs nothing again when the database is reopened, and keeps the data', async () => {
        await sessions.create(makeSession());
        await db.close();
        db = await site.open();
        const rows: unknown[] = await db.read((m) => m.query(`SELECT name FROM ${MIGRATIONS_TABLE}`));
        expect(rows).to.have.length(MIGRATIONS.length);
        expect(await new SessionRepository(db).get(42n)).to.deep.equal(makeSession());
      });

      it('reverts cleanly with the migrations down steps', async () => {
        for (let i = 0; i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration();
        const rows: unknown[] = await db.read((m) => m.query(`SELECT name FROM ${MIGRATIONS_TABLE}`));
        expect(rows).to.have.length(0);
        await db.dataSource.runMigrations();
        await sessions.create(makeSession());
        expect(await sessions.get(42n)).to.not.equal(undefined);
      });
    });

    describe('SessionRepository', () => {
      it('round-trips a session exactly: bigints, u128 user channel id, dates and nulls', async () => {
        const s = makeSession({ terms: { paymentSizeMsat: null, openingFeeMsat: null }, state: busyState() });
        await sessions.create(s);
        expect(await sessions.get(42n)).to.deep.equal(s);
      });

      it('stores the largest u64 SCID and amounts losslessly', async () => {
        const s = makeSession({
          terms: {
            jitChannelScid: U64_MAX,
            paymentSizeMsat: U64_MAX,
            feeParams: { ...makeSession().terms.feeParams, maxPaymentSizeMsat: U64_MAX },
          },
        });
        await sessions.create(s);
        expect(await sessions.get(U64_MAX)).to.deep.equal(s);
        expect(await sessions.get(U64_MAX - 1n)).to.equal(undefined);
      });

      it('refuses a second session with the same SCID with SessionExistsError and keeps the first', async () => {
        await sessions.create(makeSession());
        const err = await sessions.create(makeSession({ terms: { clientNodeId: CLIENT_B } })).catch((e: unknown) => e);
        expect(err).to.be.instanceOf(SessionExistsError);
        expect((await sessions.get(42n))!.terms.clientNodeId).to.equal(CLIENT_A);
      });

      it('commits concurrent creates together, rejecting only the duplicate among them', async () => {
        const scids = [1n, 2n, 3n, 2n, 4n];
        const results = await Promise.allSettled(
          scids.map((scid) => sessions.create(makeSession({ terms: { jitChannelScid: scid } }))),
        );
        // Which of the two SCID-2 creates wins is up to the database (Postgres runs them in parallel).
        const rejected = results.flatMap((r, i) => (r.status === 'rejected' ? [[i, r.reason] as const] : []));
        expect(rejected).to.have.length(1);
        expect([1, 3]).to.include(rejected[0]![0]);
        expect(rejected[0]![1]).to.be.instanceOf(SessionExistsError);
        await db.close();
        db = await site.open();
        expect((await new SessionRepository(db).listOpen()).map((s) => s.terms.jitChannelScid)).to.deep.equal([
          1n,
          2n,
          3n,
          4n,
        ]);
      });

      it('stores a new state, increments the version and returns what get returns', async () => {
        await sessions.create(makeSession());
        const updated = await sessions.update(42n, busyState(), 0, at(1000));
        expect(updated.version).to.equal(1);
        expect(updated.state).to.deep.equal(busyState());
        expect(updated.updatedAt).to.deep.equal(at(1000));
        expect(await sessions.get(42n)).to.deep.equal(updated);
        expect((await sessions.update(42n, closedState(), 1, at(2000))).version).to.equal(2);
      });

      it('refuses an update from a stale version with StaleSessionError naming the stored version', async () => {
        await sessions.create(makeSession());
        await sessions.update(42n, busyState(), 0, at(1));
        const err = (await sessions.update(42n, closedState(), 0, at(2)).catch((e: unknown) => e)) as StaleSessionError;
        expect(err).to.be.instanceOf(StaleSessionError);
        expect(err.expectedVersion).to.equal(0);
        expect(err.actualVersion).to.equal(1);
        expect((await sessions.get(42n))!.state).to.deep.equal(busyState());
      });

      it('refuses an update of an unknown session with StaleSessionError and no stored version', async () => {
        const err = (await sessions.update(7n, busyState(), 0, T0).catch((e: unknown) => e)) as StaleSessionError;
        expect(err).to.be.instanceOf(StaleSessionError);
        expect(err.actualVersion).to.equal(undefined);
      });

      it('lets exactly one of several concurrent updates from the same version win', async () => {
        await sessions.create(makeSession());
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => sessions.update(42n, closedState(BigInt(i)), 0, at(i))),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        expect(won).to.have.length(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).to.be.instanceOf(StaleSessionError);
        expect((await sessions.get(42n))!.version).to.equal(1);
      });

      it('lists one client’s sessions oldest first, and no one else’s', async () => {
        await sessions.create(makeSession({ terms: { jitChannelScid: 3n, createdAt: at(300) } }));
        await sessions.create(makeSession({ terms: { jitChannelScid: 1n, createdAt: at(100) } }));
        await sessions.create(
          makeSession({ terms: { jitChannelScid: 2n, clientNodeId: CLIENT_B, createdAt: at(200) } }),
        );
        expect((await sessions.listByClient(CLIENT_A)).map((s) => s.terms.jitChannelScid)).to.deep.equal([1n, 3n]);
        expect((await sessions.listByClient(CLIENT_B)).map((s) => s.terms.jitChannelScid)).to.deep.equal([2n]);
        expect(await sessions.listByClient('02' + '00'.repeat(32))).to.deep.equal([]);
      });

      it('answers concurrent reads of many clients, each with its own sessions oldest first', async () => {
        const client = (i: number) => '03' + i.toString(16).padStart(64, '0');
        // More clients than one batched query takes, with reads queued while creates are in flight.
        const creates = Array.from({ length: 300 }, (_, i) =>
          sessions.create(
            makeSession({
              terms: { jitChannelScid: BigInt(1000 + i), clientNodeId: client(i % 150), createdAt: at(1000 - i) },
            }),
          ),
        );
        await Promise.all(creates);
        const lists = await Promise.all([
          ...Array.from({ length: 300 }, (_, i) => sessions.listByClient(client(i))),
          sessions.listByClient(client(0)),
        ]);
        for (let i = 0; i < 150; i++)
          expect(lists[i]!.map((s) => s.terms.jitChannelScid)).to.deep.equal([BigInt(1150 + i), BigInt(1000 + i)]);
        for (let i = 150; i < 300; i++) expect(lists[i]).to.deep.equal([]);
        expect(lists[300]).to.deep.equal(lists[0]);
        expect(lists[300]![0]).to.not.equal(lists[0]![0]); // each caller gets its own objects
      });

      it('counts a client’s live sessions (not closed, valid_until after now) for the buy limit', async () => {
        const validUntil = at(3600_000);
        const fp = makeSession().terms.feeParams;
        await sessions.create(makeSession({ terms: { jitChannelScid: 1n } }));
        await sessions.create(makeSession({ terms: { jitChannelScid: 2n }, state: busyState() }));
        await sessions.create(makeSession({ terms: { jitChannelScid: 3n }, state: closedState() }));
        await sessions.create(
          makeSession({ terms: { jitChannelScid: 4n, feeParams: { ...fp, validUntil: at(1000) } } }),
        );
        await sessions.create(makeSession({ terms: { jitChannelScid: 5n, clientNodeId: CLIENT_B } }));
        expect(fp.validUntil).to.deep.equal(validUntil);
        const counts = await Promise.all([
          sessions.countLiveByClient(CLIENT_A, at(0)),
          sessions.countLiveByClient(CLIENT_A, at(1000)), // valid_until must be strictly after now
          sessions.countLiveByClient(CLIENT_A, validUntil),
          sessions.countLiveByClient(CLIENT_B, at(0)),
          sessions.countLiveByClient('02' + '00'.repeat(32), at(0)),
        ]);
        expect(counts).to.deep.equal([3, 2, 0, 1, 0]);
      });

      it('lists every session that is not closed as the working set', async () => {
        await sessions.create(makeSession({ terms: { jitChannelScid: 1n } }));
        await sessions.create(makeSession({ terms: { jitChannelScid: 2n }, state: busyState() }));
        await sessions.create(makeSession({ terms: { jitChannelScid: 3n }, state: closedState() }));
        expect((await sessions.listOpen()).map((s) => s.terms.jitChannelScid)).to.deep.equal([1n, 2n]);
      });

      it('reserves a funding payment hash for one SCID only, idempotently', async () => {
        const h = 'aa'.repeat(32);
        expect(await sessions.reserveFundingHash(h, 1n)).to.equal(true);
        expect(await sessions.reserveFundingHash(h, 1n)).to.equal(true);
        expect(await sessions.reserveFundingHash(h, 2n)).to.equal(false);
        expect(await sessions.fundingHashHolder(h)).to.equal(1n);
      });

      it('gives a contested payment hash to exactly one of many concurrent sessions', async () => {
        const h = 'bb'.repeat(32);
        const wins = await Promise.all(
          Array.from({ length: 10 }, (_, i) => sessions.reserveFundingHash(h, BigInt(i + 1))),
        );
        expect(wins.filter(Boolean)).to.have.length(1);
        const winner = BigInt(wins.indexOf(true) + 1);
        expect(await sessions.fundingHashHolder(h)).to.equal(winner);
      });

      it('releases a reservation only for the SCID that holds it', async () => {
        const h = 'cc'.repeat(32);
        await sessions.reserveFundingHash(h, 1n);
        await sessions.releaseFundingHash(h, 2n);
        expect(await sessions.reserveFundingHash(h, 2n)).to.equal(false);
        await sessions.releaseFundingHash(h, 1n);
        expect(await sessions.reserveFundingHash(h, 2n)).to.equal(true);
        await sessions.releaseFundingHash('dd'.repeat(32), 1n); // unknown: no-op
      });

      it('prunes closed sessions last updated before the cutoff, and nothing else', async () => {
        await sessions.create(makeSession({ terms: { jitChannelScid: 1n }, state: closedState(), updatedAt: at(10) }));
        await sessions.create(
          makeSession({ terms: { jitChannelScid: 2n }, state: closedState(), updatedAt: at(5000) }),
        );
        await sessions.create(makeSession({ terms: { jitChannelScid: 3n }, updatedAt: at(10) }));
        expect(await sessions.pruneClosedBefore(at(1000))).to.equal(1);
        expect(await sessions.get(1n)).to.equal(undefined);
        expect(await sessions.get(2n)).to.not.equal(undefined);
        expect(await sessions.get(3n)).to.not.equal(undefined);
        expect(await sessions.pruneClosedBefore(at(1000))).to.equal(0);
      });

      it('counts sessions by state kind and lists the newest first', async () => {
        await sessions.create(makeSession({ terms: { jitChannelScid: 1n, createdAt: at(1) } }));
        await sessions.create(makeSession({ terms: { jitChannelScid: 2n, createdAt: at(2) } }));
        await sessions.create(makeSession({ terms: { jitChannelScid: 3n, createdAt: at(3) }, state: closedState() }));
        expect(await sessions.countByState()).to.deep.equal({ awaitingPayment: 2, closed: 1 });
        expect((await sessions.listRecent({ limit: 2 })).map((s) => s.terms.jitChannelScid)).to.deep.equal([3n, 2n]);
        expect(
          (await sessions.listRecent({ limit: 10, stateKind: 'awaitingPayment' })).map((s) => s.terms.jitChannelScid),
        ).to.deep.equal([2n, 1n]);
      });

      it('reports a corrupted row with its SCID and the field at fault instead of crashing later', async () => {
        await sessions.create(makeSession());
        await db.write((m) =>
          m.update(
            JitSessionEntity,
            { jitChannelScid: '42' },
            { state: '{"kind":"done","held":[],"forwarded":[],"failed":[]}' },
          ),
        );
        const err = (await sessions.get(42n).catch((e: unknown) => e)) as Error;
        expect(err).to.be.instanceOf(TypeError);
        expect(err.message).to.match(/^lsps2_sessions\[42\]: JitChannelState\/channelId: expected string/);
      });
    });

    describe('MailboxRepository', () => {
      const P1 = '02' + '11'.repeat(32);
      const P2 = '03' + '22'.repeat(32);

      it('holds messages and loads them ordered by peer then sequence, bytes intact', async () => {
        await mailbox.put(heldMessage(P2, 1, [9]));
        await mailbox.put(heldMessage(P1, 2, [0, 255, 7]));
        await mailbox.put(heldMessage(P1, 1, [1, 2, 3]));
        const all = await mailbox.loadAll();
        expect(all.map((m) => [m.peerNodeId, m.seq])).to.deep.equal([
          [P1, 1],
          [P1, 2],
          [P2, 1],
        ]);
        expect(all[1]).to.deep.equal(heldMessage(P1, 2, [0, 255, 7]));
        expect(all[1]!.message).to.be.instanceOf(Uint8Array);
      });

      it('holds a message intercepted twice only once', async () => {
        await mailbox.put(heldMessage(P1, 1, [1]));
        await mailbox.put(heldMessage(P1, 1, [1], { seq: 5 }));
        const all = await mailbox.loadAll();
        expect(all).to.have.length(1);
        expect(all[0]!.seq).to.equal(1);
      });

      it('deletes the given ids, ignores unknown ones, and handles large batches', async () => {
        const msgs = Array.from({ length: 1200 }, (_, i) => heldMessage(P1, i + 1, [i & 0xff]));
        for (const m of msgs) await mailbox.put(m);
        await mailbox.delete([...msgs.slice(0, 1100).map((m) => m.id), 'ff'.repeat(32)]);
        const left = await mailbox.loadAll();
        expect(left.map((m) => m.seq)).to.deep.equal(msgs.slice(1100).map((m) => m.seq));
        expect(await mailbox.count()).to.equal(100);
        await mailbox.delete([]);
      });

      it('keeps held messages across a close and reopen', async () => {
        await mailbox.put(heldMessage(P1, 1, [42, 43]));
        await db.close();
        db = await site.open();
        expect(await new MailboxRepository(db).loadAll()).to.deep.equal([heldMessage(P1, 1, [42, 43])]);
      });
    });

    describe('transactions and shutdown', () => {
      it('leaves no half-written row when a transaction fails midway (kill safety)', async () => {
        const err = await db
          .write(async (m) => {
            await m.insert(JitSessionEntity, rowOf(77n));
            throw new Error('crash between two writes');
          })
          .catch((e: unknown) => e);
        expect((err as Error).message).to.equal('crash between two writes');
        expect(await sessions.get(77n)).to.equal(undefined);
        // the connection is healthy afterwards
        await sessions.create(makeSession({ terms: { jitChannelScid: 78n } }));
        expect(await sessions.get(78n)).to.not.equal(undefined);
      });

      it('does not let a failing transaction undo a concurrent one', async () => {
        const failing = db.write(async (m) => {
          await m.insert(JitSessionEntity, { ...rowOf(1n) });
          await new Promise((r) => setImmediate(r));
          throw new Error('boom');
        });
        const succeeding = sessions.create(makeSession({ terms: { jitChannelScid: 2n } }));
        await Promise.allSettled([failing, succeeding]);
        expect(await sessions.get(1n)).to.equal(undefined);
        expect(await sessions.get(2n)).to.not.equal(undefined);
      });

      it('finishes writes in flight on close, then refuses new ones', async () => {
        // More than one group commit's worth, so a batch is still queued when close() starts.
        const pending = Array.from({ length: 300 }, (_, i) =>
          sessions.create(makeSession({ terms: { jitChannelScid: BigInt(100 + i) } })),
        );
        await db.close();
        await Promise.all(pending);
        expect(await db.ping()).to.equal(false);
        const err = await sessions.get(100n).catch((e: unknown) => e);
        expect(err).to.be.instanceOf(DatabaseClosedError);
        db = await site.open();
        expect(await new SessionRepository(db).listOpen()).to.have.length(300);
      });

      it('answers the readiness ping while open', async () => {
        expect(await db.ping()).to.equal(true);
      });

      it('leaves SQLite checkpoints to a connection of their own: commits never checkpoint, a checkpoint copies every frame and loses no row', async function () {
        if (db.dialect !== 'sqlite') this.skip();
        const [auto] = (await db.dataSource.query('PRAGMA wal_autocheckpoint')) as { wal_autocheckpoint: number }[];
        expect(auto!.wal_autocheckpoint).to.equal(0);
        await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            sessions.create(makeSession({ terms: { jitChannelScid: BigInt(5000 + i) } })),
          ),
        );
        await db.checkpoint();
        const [wal] = (await db.dataSource.query('PRAGMA wal_checkpoint(PASSIVE)')) as {
          log: number;
          checkpointed: number;
        }[];
        expect(wal!.log).to.be.greaterThan(0);
        expect(wal!.checkpointed).to.equal(wal!.log);
        expect(await new SessionRepository(db).listOpen()).to.have.length(200);
      });
    });
  });
}

describe('persistence on a SQLite file under continuous writes', () => {
  it('restarts the WAL once it passes the restart size, although writes never pause, and loses no row', async () => {
    // Without the checkpoint's second pass (under the write lock) every checkpoint ends behind the newest
    // commit, SQLite never restarts the WAL, and it grows for as long as writes continue.
    const site = await sqliteSite({ walRestartFrames: 20 });
    const db = await site.open();
    try {
      const sessions = new SessionRepository(db, () => T0);
      const walFrames = async () =>
        ((await db.read((m) => m.query('PRAGMA wal_checkpoint(PASSIVE)'))) as { log: number }[])[0]!.log;
      let written = 0;
      const writer = (async () => {
        for (; written < 400; written++)
          await sessions.create(makeSession({ terms: { jitChannelScid: BigInt(20_000 + written) } }));
      })();
      const seen: number[] = [];
      while (written < 400) {
        await db.checkpoint();
        seen.push(await walFrames());
      }
      await writer;
      const restarted = seen.some((frames, i) => i > 0 && frames < seen[i - 1]!);
      expect(restarted, `WAL frames seen after each checkpoint: ${seen.join(', ')}`).to.equal(true);
      expect(await sessions.listOpen()).to.have.length(400);
    } finally {
      await db.close();
      await site.destroy();
    }
  });
});

function rowOf(scid: bigint) {
  return {
    jitChannelScid: scid.toString(),
    clientNodeId: CLIENT_A,
    stateKind: 'awaitingPayment',
    terms: '{}',
    state: '{}',
    validUntilMs: 0,
    version: 0,
    createdAtMs: 0,
    updatedAtMs: 0,
  };
}
