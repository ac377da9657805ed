/**
 * The key the LSP MACs its `opening_fee_params` with (bLIP-52 `promise`). Taken from JITLSP_PROMISE_SECRET
 * when set; otherwise read from `<dataDir>/promise-secret` (64 hex characters), which is generated with
 * mode 0600 on first start. Keeping it across restarts is what lets a client buy with a menu it fetched
 * before the restart. The value is never logged.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, writeSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { Secret } from './secret.js';

export const PROMISE_SECRET_FILE = 'promise-secret';

export function resolvePromiseSecret(
  config: { dataDir: string; promiseSecret: Secret<Uint8Array> | undefined },
  random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n)),
): { secret: Secret<Uint8Array>; source: 'environment' | 'file' | 'generated' } {
  if (config.promiseSecret !== undefined) return { secret: config.promiseSecret, source: 'environment' };
  const path = join(config.dataDir, PROMISE_SECRET_FILE);
  const existing = readSecretFile(path);
  if (existing !== undefined) return { secret: existing, source: 'file' };
  mkdirSync(config.dataDir, { recursive: true });
  const key = random(32);
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600); // 'wx': never overwrite a secret another process just wrote
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = readSecretFile(path);
      if (raced !== undefined) return { secret: raced, source: 'file' };
    }
    throw e;
  }
  try {
    writeSync(fd, Buffer.from(key).toString('hex') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { secret: new Secret(key), source: 'generated' };
}

function readSecretFile(path: string): Secret<Uint8Array> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new Error(`${path}: expected 64 hex characters (the 32-byte promise secret), got ${text.length} characters`);
  }
  return new Secret(Uint8Array.from(Buffer.from(text, 'hex')));
}
