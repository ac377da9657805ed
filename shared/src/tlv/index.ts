/**
 * BOLT 1 fundamental types and TLV streams.
 * - `bigsize.ts`: BigSize varint; `truncated-int.ts`: tu16/tu32/tu64
 * - `byte-reader.ts` / `byte-writer.ts`: big-endian cursors used by every wire codec
 * - `stream.ts`: TLV stream decode/encode and the unknown-even rule
 * - `errors.ts`: `TlvError`, the only error these decoders throw
 */
export { BigSize } from './bigsize.js';
export { ByteReader } from './byte-reader.js';
export { ByteWriter } from './byte-writer.js';
export { TlvError, type TlvErrorCode } from './errors.js';
export { decodeTlvStream, encodeTlvStream, rejectUnknownEven, type TlvRecord } from './stream.js';
export { decodeTu16, decodeTu32, decodeTu64, encodeTu16, encodeTu32, encodeTu64 } from './truncated-int.js';
