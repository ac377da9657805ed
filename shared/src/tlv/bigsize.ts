import { TlvError } from './errors.js';

/**
 * BigSize: the variable-length unsigned integer of BOLT 1 ("Appendix A: BigSize Test Vectors").
 * Big-endian, with 0xfd/0xfe/0xff prefixes for 2/4/8-byte values; every value has exactly one
 * (minimal) encoding, and decoders MUST reject the others.
 */
const U64_MAX = 0xffff_ffff_ffff_ffffn;

export const BigSize = {
  /** Encoded length of `n` in bytes. */
  encodedLength(n: bigint): number {
    if (n < 0n || n > U64_MAX) throw new RangeError(`BigSize: expected 0..2^64-1, got ${n}`);
    return n < 0xfdn ? 1 : n <= 0xffffn ? 3 : n <= 0xffff_ffffn ? 5 : 9;
  },

  encode(n: bigint): Uint8Array {
    const len = BigSize.encodedLength(n);
    const out = new Uint8Array(len);
    if (len === 1) {
      out[0] = Number(n);
      return out;
    }
    out[0] = len === 3 ? 0xfd : len === 5 ? 0xfe : 0xff;
    let v = n;
    for (let i = len - 1; i >= 1; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return out;
  },

  /** Decodes one BigSize at `offset`; throws `TlvError` on truncation or a non-minimal encoding. */
  decode(bytes: Uint8Array, offset = 0): { value: bigint; length: number } {
    if (offset >= bytes.length) throw new TlvError('truncated', 'BigSize: expected 1 byte, got 0', offset);
    const first = bytes[offset]!;
    if (first < 0xfd) return { value: BigInt(first), length: 1 };
    const width = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
    if (offset + 1 + width > bytes.length) {
      throw new TlvError(
        'truncated',
        `BigSize: expected ${width} more bytes, got ${bytes.length - offset - 1}`,
        offset,
      );
    }
    let value = 0n;
    for (let i = 0; i < width; i++) value = (value << 8n) | BigInt(bytes[offset + 1 + i]!);
    const minimum = width === 2 ? 0xfdn : width === 4 ? 0x1_0000n : 0x1_0000_0000n;
    // BOLT 1: a BigSize MUST be minimally encoded; readers MUST fail on a non-minimal one.
    if (value < minimum) throw new TlvError('non-minimal', `BigSize: non-minimal encoding of ${value}`, offset);
    return { value, length: 1 + width };
  },
};
