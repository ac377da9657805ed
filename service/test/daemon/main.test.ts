/**
 * `npm start` as an operator runs it: a real process configured by the environment, which prints its node id
 * and address, and shuts down cleanly on SIGTERM; bad configuration exits 2 naming the variable.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=jitlsp-source', '--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal })),
  );
  const waitFor = (re: RegExp) =>
    new Promise<RegExpExecArray>((res, rej) => {
      const check = () => {
        const m = re.exec(stdout);
        if (m) return res(m);
      };
      child.stdout.on('data', check);
      void exited.then(() => rej(new Error(`exited before ${re}: ${stdout}\n${stderr}`)));
      check();
    });
  return { child, exited, waitFor, out: () => stdout, err: () => stderr };
}

describe('npm start (service/src/main.ts as a process)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jitlsp-main-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its node id and address, serves HTTP, and exits 0 after an ordered shutdown on SIGTERM', async () => {
    const p = run({
      JITLSP_DATA_DIR: dir,
      JITLSP_HTTP_PORT: '0',
      JITLSP_P2P_PORT: '0',
      JITLSP_ADMIN_TOKEN: 'secret-admin-token-for-main',
    });
    const id = await p.waitFor(/^jitlsp node id (0[23][0-9a-f]{64})$/m);
    const addr = await p.waitFor(/^jitlsp address (0[23][0-9a-f]{64})@127\.0\.0\.1:(\d+)$/m);
    expect(addr[1]).to.equal(id[1]);
    const http = await p.waitFor(/^jitlsp http (http:\/\/127\.0\.0\.1:\d+)$/m);
    expect((await fetch(http[1] + '/readyz')).status).to.equal(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).to.deep.equal({ code: 0, signal: null });
    const lines = p
      .out()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string });
    const msgs = lines.map((l) => l.msg);
    expect(msgs).to.include.members(['signal received: shutting down', 'jitlsp stopping', 'jitlsp stopped']);
    expect(msgs.indexOf('jitlsp stopped')).to.be.above(msgs.indexOf('jitlsp stopping'));
    expect(p.out() + p.err()).to.not.include('secret-admin-token-for-main');
  });

  it('exits 2 with every configuration problem named when the environment is invalid', async () => {
    const p = run({ JITLSP_DATA_DIR: dir, JITLSP_HTTP_PORT: 'eighty', JITLSP_FEE_TIERS: '5:5,4:4' });
    expect((await p.exited).code).to.equal(2);
    expect(p.err()).to.match(/JITLSP_HTTP_PORT: expected an integer, got "eighty"/);
    expect(p.err()).to.match(/JITLSP_FEE_TIERS\[1\]: tiers must strictly increase/);
    expect(p.err()).to.include('.env.example');
  });
});
