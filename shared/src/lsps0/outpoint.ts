/**
 * bLIP-50 `LSPS0.txid`, `LSPS0.output_index` and `LSPS0.outpoint`. Not used by LSPS2 itself;
 * here so that every LSPS0 schema has a reader (LSPS1 orders use them).
 *
 * - txid: 64 hex characters, in the byte order block explorers show (readers accept both cases;
 *   the spec's own example is upper case). Kept as text, normalised to lower case.
 * - output_index: a JSON integer, at most 16 bits (BOLT 7 short_channel_id).
 * - outpoint: the string `txid:output_index`.
 */
import { U16_MAX, expectUint, fail } from './guards.js';

const TXID_RE = /^[0-9a-fA-F]{64}$/;
const OUTPOINT_RE = /^([0-9a-fA-F]{64}):(0|[1-9][0-9]{0,4})$/;

export interface Outpoint {
  /** Lower-case hex, display byte order. */
  txid: string;
  outputIndex: number;
}

export function parseTxid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !TXID_RE.test(value)) fail(field, 'LSPS0.txid (64 hex characters)', value);
  return value.toLowerCase();
}

export function parseOutputIndex(value: unknown, field: string): number {
  return expectUint(value, field, U16_MAX, 'LSPS0.output_index (an integer)');
}

export function parseOutpoint(value: unknown, field: string): Outpoint {
  if (typeof value !== 'string') fail(field, 'LSPS0.outpoint "txid:output_index"', value);
  const m = OUTPOINT_RE.exec(value);
  if (!m || Number(m[2]) > U16_MAX) fail(field, 'LSPS0.outpoint "txid:output_index" (64 hex, then 0..65535)', value);
  return { txid: m[1]!.toLowerCase(), outputIndex: Number(m[2]) };
}

export function formatOutpoint(o: Outpoint): string {
  if (!TXID_RE.test(o.txid)) throw new TypeError(`outpoint/txid: expected 64 hex characters, got ${o.txid}`);
  if (!Number.isInteger(o.outputIndex) || o.outputIndex < 0 || o.outputIndex > U16_MAX) {
    throw new RangeError(`outpoint/outputIndex: expected 0..65535, got ${o.outputIndex}`);
  }
  return `${o.txid}:${o.outputIndex}`;
}
