/** The node's 32-byte seed: created on first start with mode 0600, never logged. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function loadOrCreateSeed(
  file: string,
  random: (n: number) => Uint8Array,
): { seed: Uint8Array; created: boolean } {
  try {
    const bytes = fs.readFileSync(file);
    if (bytes.length !== 32) throw new RangeError(`Node/seedFile: expected 32 bytes in ${file}, got ${bytes.length}`);
    return { seed: new Uint8Array(bytes), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const seed = random(32);
  if (seed.length !== 32) throw new RangeError(`Node/random: expected 32 bytes, got ${seed.length}`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'wx': never overwrite a seed another process created meanwhile.
  fs.writeFileSync(file, seed, { mode: 0o600, flag: 'wx' });
  return { seed, created: true };
}
