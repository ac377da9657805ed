import { BigSize } from './bigsize.js';
import { encodeTu16, encodeTu32, encodeTu64 } from './truncated-int.js';

/** Appends BOLT 1 fundamental types (big-endian) and returns the concatenation with `finish()`. */
export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  bytes(b: Uint8Array): this {
    this.chunks.push(b);
    this.size += b.length;
    return this;
  }
  u8(n: number): this {
    checkUint(n, 8, 'u8');
    return this.bytes(Uint8Array.of(n));
  }
  u16(n: number): this {
    checkUint(n, 16, 'u16');
    return this.bytes(Uint8Array.of(n >>> 8, n & 0xff));
  }
  u32(n: number): this {
    checkUint(n, 32, 'u32');
    return this.bytes(Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff));
  }
  u64(n: bigint): this {
    if (n < 0n || n > 0xffff_ffff_ffff_ffffn) throw new RangeError(`u64: expected 0..2^64-1, got ${n}`);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, n);
    return this.bytes(out);
  }
  bigsize(n: bigint): this {
    return this.bytes(BigSize.encode(n));
  }
  tu64(n: bigint): this {
    return this.bytes(encodeTu64(n));
  }
  tu32(n: number): this {
    return this.bytes(encodeTu32(n));
  }
  tu16(n: number): this {
    return this.bytes(encodeTu16(n));
  }
  finish(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.chunks = [out];
    return out;
  }
}

function checkUint(n: number, bits: number, name: string): void {
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** bits)
    throw new RangeError(`${name}: expected 0..2^${bits}-1, got ${n}`);
}
