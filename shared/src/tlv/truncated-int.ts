import { TlvError } from './errors.js';

/**
 * Truncated unsigned integers (`tu16`, `tu32`, `tu64`) of BOLT 1 ("Fundamental Types"): big-endian
 * with leading zero bytes omitted. A reader MUST fail on a value that is not minimal (a leading zero).
 */
function encodeTruncated(n: bigint, maxBytes: number, name: string): Uint8Array {
  if (n < 0n || n >= 1n << BigInt(8 * maxBytes))
    throw new RangeError(`${name}: expected 0..2^${8 * maxBytes}-1, got ${n}`);
  const out: number[] = [];
  for (let v = n; v > 0n; v >>= 8n) out.unshift(Number(v & 0xffn));
  return Uint8Array.from(out);
}

function decodeTruncated(bytes: Uint8Array, maxBytes: number, name: string, offset = 0): bigint {
  if (bytes.length > maxBytes)
    throw new TlvError('invalid-value', `${name}: expected at most ${maxBytes} bytes, got ${bytes.length}`, offset);
  if (bytes.length > 0 && bytes[0] === 0) throw new TlvError('non-minimal', `${name}: leading zero byte`, offset);
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

export const encodeTu64 = (n: bigint): Uint8Array => encodeTruncated(n, 8, 'tu64');
export const decodeTu64 = (b: Uint8Array, offset = 0): bigint => decodeTruncated(b, 8, 'tu64', offset);
export const encodeTu32 = (n: number): Uint8Array => encodeTruncated(BigInt(n), 4, 'tu32');
export const decodeTu32 = (b: Uint8Array, offset = 0): number => Number(decodeTruncated(b, 4, 'tu32', offset));
export const encodeTu16 = (n: number): Uint8Array => encodeTruncated(BigInt(n), 2, 'tu16');
export const decodeTu16 = (b: Uint8Array, offset = 0): number => Number(decodeTruncated(b, 2, 'tu16', offset));
