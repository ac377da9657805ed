/** Loads the BOLT 4 JSON vectors from `<repo>/../shared/vectors/bolts/bolt04/` (see the vectors README). */
import { readFileSync } from 'node:fs';
import { fromHex } from '../../src/crypto/hex.js';

export function loadBolt04(name: string): any {
  const url = new URL(`../../../../shared/vectors/bolts/bolt04/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

export const hex = (s: string): Uint8Array => fromHex(s, 'vector');

/** `0x0x1729` style short_channel_id (block x tx x output) to its u64. */
export function scidFromString(s: string): bigint {
  const [block, tx, out] = s.split('x').map((p) => BigInt(p));
  return (block << 40n) | (tx << 16n) | out;
}
