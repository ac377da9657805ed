/**
 * Typed errors for BOLT 1 fundamental types and TLV streams.
 * Every decoder in `tlv/` throws only `TlvError`, naming the TLV type (when known) and the byte offset.
 */
export type TlvErrorCode =
  'truncated' | 'non-minimal' | 'out-of-order' | 'duplicate' | 'unknown-even' | 'invalid-value';

export class TlvError extends Error {
  override readonly name = 'TlvError';
  constructor(
    readonly code: TlvErrorCode,
    message: string,
    readonly offset: number,
    readonly type?: bigint,
  ) {
    super(`${message} (${type !== undefined ? `type ${type}, ` : ''}offset ${offset})`);
  }
}
