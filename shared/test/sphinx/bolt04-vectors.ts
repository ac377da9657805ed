/** Loads the BOLT 4 JSON vectors from the repository's `vectors/bolts/bolt04/` (see the vectors README). */
import { fromHex } from '../../src/crypto/hex.js';
import { readVector } from '../support/paths.js';

export function loadBolt04(name: string): any {
  return readVector(`bolts/bolt04/${name}`);
}

export const hex = (s: string): Uint8Array => fromHex(s, 'vector');

/** `0x0x1729` style short_channel_id (block x tx x output) to its u64. */
export function scidFromString(s: string): bigint {
  const [block, tx, out] = s.split('x').map((p) => BigInt(p));
  return (block << 40n) | (tx << 16n) | out;
}
