/**
 * kill -9 at any point loses nothing that was acknowledged (every state is stored before it is acted on): a
 * child process writes sessions and held messages and reports each write it saw resolve; it is SIGKILLed
 * mid-stream; the database
 * reopens (migrations idempotent), every acknowledged write is there in its final state, and every row
 * decodes (no torn row).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MailboxRepository } from '../../src/db/repositories/mailbox.repository.js';
import { SessionRepository } from '../../src/db/repositories/session.repository.js';
import { closedState } from './fixtures.js';
import { databaseSiteFactories, type TestDatabaseSite } from './targets.js';

const factories = await databaseSiteFactories();
const WRITER = fileURLToPath(new URL('./fixtures/kill-writer.ts', import.meta.url));
const ACKS_BEFORE_KILL = 40;

/** Runs the writer until it acknowledged `n` sessions, SIGKILLs it, returns the acknowledged count. */
function writeThenKill(site: TestDatabaseSite, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=jitlsp-source',
        '--import',
        'tsx',
        WRITER,
        JSON.stringify({ target: site.target, extras: site.extras }),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let acked = 0;
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^ack (\d+)$/.exec(line);
        if (m) acked = Number(m[1]);
        if (acked >= n && !child.killed) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited early (code ${code}): ${stderr}`));
    });
  });
}

for (const factory of factories) {
  const title = `kill -9 safety on ${factory.name}` + (factory.skipReason ? ` (skipped: ${factory.skipReason})` : '');
  (factory.skipReason ? describe.skip : describe)(title, function () {
    this.timeout(60_000);

    it('keeps every acknowledged session and message, and no torn row, after the writer is killed mid-stream', async () => {
      const site = await factory.create();
      try {
        const acked = await writeThenKill(site, ACKS_BEFORE_KILL);
        expect(acked).to.be.at.least(ACKS_BEFORE_KILL);
        const db = await site.open();
        try {
          const sessions = new SessionRepository(db);
          for (let i = 1; i <= acked; i++) {
            const s = await sessions.get(BigInt(i));
            expect(s, `session ${i}`).to.not.equal(undefined);
            expect(s!.state).to.deep.equal(closedState());
            expect(s!.version).to.equal(2);
          }
          // Rows written after the last acknowledgement may or may not be there, but each decodes.
          const all = await sessions.listRecent({ limit: 1_000_000 });
          expect(all.length).to.be.at.least(acked);
          const held = await new MailboxRepository(db).loadAll();
          expect(held.length).to.be.at.least(acked);
          for (const m of held) expect(m.message).to.have.length(300);
          if (site.dialect === 'sqlite') {
            expect(await db.read((m) => m.query('PRAGMA integrity_check'))).to.deep.equal([{ integrity_check: 'ok' }]);
          }
        } finally {
          await db.close();
        }
      } finally {
        await site.destroy();
      }
    });
  });
}
