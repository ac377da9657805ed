/**
 * The one error type thrown by the BOLT 4 decoders in `sphinx/`, `blinding/`, `onion-message/` and
 * `payment-onion/`. Every decoder catches lower-level failures (TLV, curve maths, AEAD) and rethrows
 * them as an `OnionError`, so callers can map `code` to a peer-facing failure without string matching.
 *
 * BOLT 4 "Onion Decryption": a reader MUST abort processing on a bad version, an invalid public key,
 * an HMAC mismatch or a malformed payload; for blinded hops it MUST return an error when
 * `encrypted_recipient_data` does not decrypt or holds unknown even fields.
 *
 * @example
 * try { peelOnionPacket(bytes, { nodePrivkey }) } catch (e) { if (e instanceof OnionError && e.code === 'bad-hmac') drop() }
 */
export type OnionErrorCode =
  /** the packet or a field inside it ends early */
  | 'truncated'
  /** `version` is not 0 (BOLT 4: MUST abort processing the packet) */
  | 'bad-version'
  /** a public key (packet ephemeral key, path key, node id) is not a valid curve point */
  | 'bad-pubkey'
  /** the packet HMAC does not match (BOLT 4: constant-time compare, MUST abort) */
  | 'bad-hmac'
  /** a hop payload, or the data given to the builder, does not fit the packet */
  | 'oversize-payload'
  /** `encrypted_recipient_data` fails ChaCha20-Poly1305 authentication */
  | 'bad-ciphertext'
  /** a TLV stream is malformed (non-minimal, out of order, duplicate, bad length of a known field) */
  | 'invalid-tlv'
  /** a TLV stream carries an even type we do not understand (BOLT 1: it's OK to be odd) */
  | 'unknown-even'
  /** the payload is well-formed but breaks a BOLT 4 reader requirement (missing or forbidden field) */
  | 'invalid-payload'
  /** a caller-supplied argument is wrong (wrong key length, empty route, ...) */
  | 'invalid-argument';

export class OnionError extends Error {
  override readonly name = 'OnionError';
  constructor(
    readonly code: OnionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `e` is an {@link OnionError}, optionally with the given code. */
export function isOnionError(e: unknown, code?: OnionErrorCode): e is OnionError {
  return e instanceof OnionError && (code === undefined || e.code === code);
}
