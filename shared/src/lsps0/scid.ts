/**
 * bLIP-50 `LSPS0.scid`: the BOLT 7 human-readable `BBBxTTTxOOO` form. `BBB` is the top 24 bits
 * (block height), `TTT` the middle 24 bits (transaction index), `OOO` the low 16 bits (output
 * index), all decimal, separated by lowercase `x`. Example from the spec: the 8 bytes
 * `083a8400034d0001` are `"539268x845x1"`.
 *
 * Reading is strict: digits only, no leading zeros (except "0"), each part within its bit width.
 */
import { fail } from './guards.js';

const SCID_RE = /^(0|[1-9][0-9]{0,7})x(0|[1-9][0-9]{0,7})x(0|[1-9][0-9]{0,4})$/;
const MAX_24 = 0xff_ffff;
const MAX_16 = 0xffff;

export interface ScidParts {
  blockHeight: number;
  txIndex: number;
  outputIndex: number;
}

/** Parses `"BBBxTTTxOOO"` into the u64 SCID. @example parseScid('539268x845x1', 'scid') // 0x083a8400034d0001n */
export function parseScid(value: unknown, field: string): bigint {
  if (typeof value !== 'string') fail(field, 'LSPS0.scid (a "BBBxTTTxOOO" string)', value);
  const m = SCID_RE.exec(value);
  if (!m) fail(field, 'LSPS0.scid "BBBxTTTxOOO" (decimal parts, lowercase x, no leading zeros)', value);
  const block = Number(m[1]);
  const tx = Number(m[2]);
  const out = Number(m[3]);
  if (block > MAX_24) fail(field, `LSPS0.scid block height <= ${MAX_24}`, value);
  if (tx > MAX_24) fail(field, `LSPS0.scid transaction index <= ${MAX_24}`, value);
  if (out > MAX_16) fail(field, `LSPS0.scid output index <= ${MAX_16}`, value);
  return scidFromParts({ blockHeight: block, txIndex: tx, outputIndex: out });
}

/** Writes a u64 SCID as `"BBBxTTTxOOO"`. */
export function formatScid(scid: bigint): string {
  const { blockHeight, txIndex, outputIndex } = scidToParts(scid);
  return `${blockHeight}x${txIndex}x${outputIndex}`;
}

export function scidFromParts(p: ScidParts): bigint {
  const check = (v: number, max: number, name: string) => {
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new RangeError(`scid/${name}: expected an integer in 0..${max}, got ${v}`);
  };
  check(p.blockHeight, MAX_24, 'blockHeight');
  check(p.txIndex, MAX_24, 'txIndex');
  check(p.outputIndex, MAX_16, 'outputIndex');
  return (BigInt(p.blockHeight) << 40n) | (BigInt(p.txIndex) << 16n) | BigInt(p.outputIndex);
}

export function scidToParts(scid: bigint): ScidParts {
  if (typeof scid !== 'bigint' || scid < 0n || scid > 0xffff_ffff_ffff_ffffn) {
    throw new RangeError(`scid: expected a u64 bigint, got ${String(scid)}`);
  }
  return {
    blockHeight: Number(scid >> 40n),
    txIndex: Number((scid >> 16n) & 0xff_ffffn),
    outputIndex: Number(scid & 0xffffn),
  };
}
