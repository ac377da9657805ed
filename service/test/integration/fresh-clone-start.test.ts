/**
 * `npm start` as a new user types it, at the root of a fresh checkout: the node seed and the promise secret land
 * in `<root>/jitlsp-data` (the directory the user started from, not the `service/` workspace npm runs the script
 * in), its absolute path is logged, `.gitignore` covers it, and the seed is readable by its owner only.
 *
 * The checkout is the repository's tracked files (as they are in the working tree) committed into a new
 * repository under a temporary folder. Its dependencies are this repository's `node_modules`, linked rather than
 * installed again (a real clone has a `node_modules` directory, which `.gitignore` covers; the link is excluded
 * in the checkout's `.git/info/exclude`).
 */
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  appendFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
    },
  });

/** A new repository holding the tracked files of this one, committed; returns its root. */
function freshCheckout(into: string): string {
  const root = join(into, 'jitlsp');
  const files = git(REPO, 'ls-files', '-z').split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(REPO, f))) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(root, f)), { recursive: true });
    copyFileSync(join(REPO, f), join(root, f));
  }
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'checkout');
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  appendFileSync(join(root, '.git', 'info', 'exclude'), '/node_modules\n');
  return root;
}

describe('npm start at the root of a fresh checkout', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'jitlsp-clone-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes its state to <root>/jitlsp-data, logs that path, leaves git status clean and the seed mode 0600', async () => {
    const root = freshCheckout(tmp);
    expect(git(root, 'status', '--porcelain')).to.equal('');

    // detached: the daemon runs under two npm processes and a shell; the test signals the whole group.
    const child = spawn('npm', ['start'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmp,
        npm_config_update_notifier: 'false',
        JITLSP_HTTP_PORT: '0',
        JITLSP_P2P_PORT: '0',
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    try {
      await new Promise<void>((res, rej) => {
        const check = () => (/^jitlsp http /m.test(out) ? res() : undefined);
        child.stdout.on('data', check);
        void exited.then(() => rej(new Error(`npm start exited before it was ready:\n${out}`)));
      });
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }

    const dataDir = join(root, 'jitlsp-data');
    const logged = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; dataDir?: string })
      .find((l) => l.msg === 'data directory');
    expect(logged?.dataDir).to.equal(dataDir);
    expect(existsSync(join(root, 'service', 'jitlsp-data'))).to.equal(false);
    expect(statSync(join(dataDir, 'node', 'seed')).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dataDir, 'promise-secret')).mode & 0o777).to.equal(0o600);
    expect(git(root, 'status', '--porcelain', '--untracked-files=all')).to.equal('');
  });
});
