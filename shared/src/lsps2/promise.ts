/**
 * The LSPS2 `promise`, LDK-compatible. bLIP-52 leaves its format to the LSP (verifiable,
 * unforgeable, committing; at most 512 printable ASCII bytes) and suggests a MAC over a
 * deterministic serialisation. We use the scheme of LDK's `lightning-liquidity` so that promises
 * interoperate with LDK-based LSP components:
 *
 *     promise = lowercase_hex(HMAC-SHA256(secret,
 *         client_node_id (33 bytes) || u64be(min_fee_msat) || u32be(proportional)
 *         || ascii(valid_until as chrono to_rfc3339, e.g. "2023-05-20T08:30:45+00:00")
 *         || u32be(min_lifetime) || u32be(max_client_to_self_delay)
 *         || u64be(min_payment_size_msat) || u64be(max_payment_size_msat)))
 *
 * Committing to the client node id (LDK since 2025-09) stops one client from replaying a promise
 * made to another. Note the `+00:00` in the MAC input where the wire has `Z`.
 *
 * One function (`derivePromise`) makes the MAC, for minting and for checking alike; the check
 * compares in constant time.
 */
import { equalBytes } from '../crypto/constant-time.js';
import { keyedHmacSha256 } from '../crypto/hashes.js';
import { chronoRfc3339 } from '../lsps0/datetime.js';
import { U32_MAX } from '../lsps0/guards.js';
import { U64_MAX } from '../lsps0/msat.js';
import type { OpeningFeeParams, UnsignedOpeningFeeParams } from './opening-fee-params.js';

export const PROMISE_SECRET_BYTES = 32;

const ascii = new TextEncoder();

/** The HMAC input: the client node id followed by the seven committed fields. */
export function promiseHmacInput(clientNodeId: Uint8Array, p: UnsignedOpeningFeeParams): Uint8Array {
  assertNodeId(clientNodeId);
  // DataView would silently wrap out-of-range values; the MAC must cover exactly the wire values.
  for (const [k, v] of [
    ['minFeeMsat', p.minFeeMsat],
    ['minPaymentSizeMsat', p.minPaymentSizeMsat],
    ['maxPaymentSizeMsat', p.maxPaymentSizeMsat],
  ] as const) {
    if (typeof v !== 'bigint' || v < 0n || v > U64_MAX)
      throw new RangeError(`promise/${k}: expected a u64 bigint, got ${String(v)}`);
  }
  for (const [k, v] of [
    ['proportional', p.proportional],
    ['minLifetime', p.minLifetime],
    ['maxClientToSelfDelay', p.maxClientToSelfDelay],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > U32_MAX) throw new RangeError(`promise/${k}: expected a u32, got ${v}`);
  }
  const validUntil = ascii.encode(chronoRfc3339(p.validUntil));
  const out = new Uint8Array(33 + 8 + 4 + validUntil.length + 4 + 4 + 8 + 8);
  const view = new DataView(out.buffer);
  let o = 0;
  out.set(clientNodeId, o);
  o += 33;
  view.setBigUint64(o, p.minFeeMsat);
  o += 8;
  view.setUint32(o, p.proportional);
  o += 4;
  out.set(validUntil, o);
  o += validUntil.length;
  view.setUint32(o, p.minLifetime);
  o += 4;
  view.setUint32(o, p.maxClientToSelfDelay);
  o += 4;
  view.setBigUint64(o, p.minPaymentSizeMsat);
  o += 8;
  view.setBigUint64(o, p.maxPaymentSizeMsat);
  return out;
}

/**
 * The promise for these params and this client: 64 lowercase hex characters.
 * @example derivePromise(secret, clientNodeId, unsigned) // '75eb57db…'
 */
export function derivePromise(secret: Uint8Array, clientNodeId: Uint8Array, p: UnsignedOpeningFeeParams): string {
  assertSecret(secret);
  return Buffer.from(macFor(secret)(promiseHmacInput(clientNodeId, p))).toString('hex');
}

/** The keyed MAC of each secret in use (a daemon has one, for its whole life). */
const macs = new WeakMap<Uint8Array, { bytes: Uint8Array; mac: (msg: Uint8Array) => Uint8Array }>();

function macFor(secret: Uint8Array): (msg: Uint8Array) => Uint8Array {
  // Found by the array, checked against a copy of its bytes: a caller may refill an array with another secret.
  let m = macs.get(secret);
  if (!m || !equalBytes(m.bytes, secret))
    macs.set(secret, (m = { bytes: Uint8Array.from(secret), mac: keyedHmacSha256(secret) }));
  return m.mac;
}

/** The params with their promise, ready to put on a get_info menu. */
export function mintOpeningFeeParams(
  secret: Uint8Array,
  clientNodeId: Uint8Array,
  p: UnsignedOpeningFeeParams,
): OpeningFeeParams {
  return { ...p, promise: derivePromise(secret, clientNodeId, p) };
}

/**
 * Whether `p.promise` is the promise we would make for these params and this client
 * (bLIP-52: the LSP MUST check it). Compared in constant time. Does not check `valid_until`.
 */
export function verifyPromise(secret: Uint8Array, clientNodeId: Uint8Array, p: OpeningFeeParams): boolean {
  const expected = ascii.encode(derivePromise(secret, clientNodeId, p));
  // A promise of another length cannot match; its length is public anyway.
  return equalBytes(expected, ascii.encode(p.promise));
}

function assertSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length !== PROMISE_SECRET_BYTES) {
    throw new RangeError(`promise/secret: expected ${PROMISE_SECRET_BYTES} bytes, got ${secret?.length}`);
  }
}

function assertNodeId(id: Uint8Array): void {
  if (!(id instanceof Uint8Array) || id.length !== 33 || (id[0] !== 2 && id[0] !== 3)) {
    throw new RangeError('promise/clientNodeId: expected a 33-byte compressed public key');
  }
}
