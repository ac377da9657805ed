import { BigSize } from './bigsize.js';
import { ByteWriter } from './byte-writer.js';
import { TlvError } from './errors.js';

/**
 * TLV streams (BOLT 1 "Type-Length-Value Format").
 *
 * Decoding enforces the stream rules every reader shares: minimal BigSize type and length, strictly
 * increasing types (so no duplicates), no truncated record. Whether an unknown even type is an error
 * depends on which types the caller understands, so that check is `rejectUnknownEven`, applied by
 * each message codec with its own set of known types.
 */
export type TlvRecord = {
  type: bigint;
  value: Uint8Array;
  /** Offset of the record's type field in the decoded bytes. */
  offset: number;
};

export function decodeTlvStream(bytes: Uint8Array, scope = 'tlv', baseOffset = 0): TlvRecord[] {
  const records: TlvRecord[] = [];
  let pos = 0;
  let last: bigint | undefined;
  while (pos < bytes.length) {
    const offset = baseOffset + pos;
    const t = BigSize.decode(bytes, pos);
    pos += t.length;
    const type = t.value;
    let l: { value: bigint; length: number };
    try {
      l = BigSize.decode(bytes, pos);
    } catch (e) {
      throw rescope(e, scope, type);
    }
    pos += l.length;
    // BOLT 1: the reader MUST fail if the type is not strictly increasing (also rules out duplicates).
    if (last !== undefined && type <= last) {
      const code = type === last ? 'duplicate' : 'out-of-order';
      throw new TlvError(code, `${scope}: type ${type} after type ${last}`, offset, type);
    }
    if (l.value > BigInt(bytes.length - pos)) {
      throw new TlvError(
        'truncated',
        `${scope}: length ${l.value} exceeds the ${bytes.length - pos} bytes left`,
        offset,
        type,
      );
    }
    const len = Number(l.value);
    records.push({ type, value: bytes.subarray(pos, pos + len), offset });
    pos += len;
    last = type;
  }
  return records;
}

/** BOLT 1 "it's OK to be odd": an unknown even type MUST make the reader fail. */
export function rejectUnknownEven(
  records: readonly TlvRecord[],
  isKnown: (type: bigint) => boolean,
  scope = 'tlv',
): void {
  for (const r of records) {
    if (r.type % 2n === 0n && !isKnown(r.type)) {
      throw new TlvError('unknown-even', `${scope}: unknown even type ${r.type}`, r.offset, r.type);
    }
  }
}

/** Encodes records whose types must already be strictly increasing (BOLT 1: writers MUST order them). */
export function encodeTlvStream(
  records: ReadonlyArray<{ type: bigint; value: Uint8Array }>,
  w = new ByteWriter(),
): Uint8Array {
  let last: bigint | undefined;
  for (const r of records) {
    if (last !== undefined && r.type <= last) {
      throw new RangeError(`encodeTlvStream: type ${r.type} after type ${last}; types must be strictly increasing`);
    }
    w.bigsize(r.type).bigsize(BigInt(r.value.length)).bytes(r.value);
    last = r.type;
  }
  return w.finish();
}

function rescope(e: unknown, scope: string, type: bigint): unknown {
  if (e instanceof TlvError)
    return new TlvError(e.code, `${scope}: length of type ${type}: ${e.message}`, e.offset, type);
  return e;
}
