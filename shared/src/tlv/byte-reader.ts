import { BigSize } from './bigsize.js';
import { TlvError } from './errors.js';
import { decodeTu16, decodeTu32, decodeTu64 } from './truncated-int.js';

/**
 * A cursor over bytes for BOLT 1 fundamental types (big-endian). Every read past the end throws
 * `TlvError('truncated')` naming `scope` and the offset, so codecs never index out of range.
 */
export class ByteReader {
  private pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    readonly scope = 'bytes',
    /** Offset of `buf[0]` in the enclosing message, so errors point into the whole message. */
    readonly baseOffset = 0,
  ) {}

  get offset(): number {
    return this.baseOffset + this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  done(): boolean {
    return this.pos >= this.buf.length;
  }

  private need(n: number, what: string): void {
    if (this.remaining < n) {
      throw new TlvError(
        'truncated',
        `${this.scope}: expected ${n} bytes for ${what}, got ${this.remaining}`,
        this.offset,
      );
    }
  }

  u8(): number {
    this.need(1, 'u8');
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2, 'u16');
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4, 'u32');
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p]! << 24) >>> 0) + (b[p + 1]! << 16) + (b[p + 2]! << 8) + b[p + 3]!;
  }
  u64(): bigint {
    this.need(8, 'u64');
    const hi = BigInt(this.u32());
    const lo = BigInt(this.u32());
    return (hi << 32n) | lo;
  }
  bigsize(): bigint {
    const { value, length } = BigSize.decode(this.buf, this.pos);
    this.pos += length;
    return value;
  }
  /** Reads `n` bytes (a copy-free view). */
  bytes(n: number): Uint8Array {
    this.need(n, `${n} bytes`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** Everything left. */
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }
  tu64(len: number = this.remaining): bigint {
    const at = this.offset;
    return decodeTu64(this.bytes(len), at);
  }
  tu32(len: number = this.remaining): number {
    const at = this.offset;
    return decodeTu32(this.bytes(len), at);
  }
  tu16(len: number = this.remaining): number {
    const at = this.offset;
    return decodeTu16(this.bytes(len), at);
  }
  /** Throws unless every byte was consumed (BOLT 1: a TLV value longer than its type needs is invalid). */
  end(): void {
    if (!this.done()) {
      throw new TlvError('invalid-value', `${this.scope}: ${this.remaining} unexpected trailing bytes`, this.offset);
    }
  }
}
