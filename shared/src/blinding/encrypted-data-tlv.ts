/**
 * BOLT 4 `encrypted_data_tlv` ("Inside encrypted_recipient_data"), typed, for payments and onion
 * messages alike. Unknown odd types are kept (in `unknown`) and re-encoded in order; unknown even
 * types are rejected (BOLT 4: MUST return an error if it contains unknown even fields).
 */
import { ByteReader, decodeTlvStream, rejectUnknownEven } from '../tlv/index.js';
import { OnionError } from '../sphinx/onion-error.js';
import { decodingTlv } from '../sphinx/tlv-errors.js';
import { encodeRecords } from '../sphinx/tlv-records.js';
import { isValidPublicKey } from '../crypto/secp256k1.js';
import {
  decodePaymentConstraints,
  decodePaymentRelay,
  encodePaymentConstraints,
  encodePaymentRelay,
  type PaymentConstraints,
  type PaymentRelay,
} from './payment-relay.js';

export const ENCRYPTED_DATA_TLV = {
  padding: 1n,
  shortChannelId: 2n,
  nextNodeId: 4n,
  pathId: 6n,
  nextPathKeyOverride: 8n,
  paymentRelay: 10n,
  paymentConstraints: 12n,
  allowedFeatures: 14n,
} as const;

export interface UnknownTlv {
  type: bigint;
  value: Uint8Array;
}

export interface EncryptedDataTlv {
  /** type 1; an empty array still encodes (as `0100`) */
  padding?: Uint8Array;
  /** type 2, the outgoing channel (u64) */
  shortChannelId?: bigint;
  /** type 4 */
  nextNodeId?: Uint8Array;
  /** type 6, the recipient's private context */
  pathId?: Uint8Array;
  /** type 8: the next `path_key` when two blinded paths are joined */
  nextPathKeyOverride?: Uint8Array;
  /** type 10 (payments, non-final hops) */
  paymentRelay?: PaymentRelay;
  /** type 12 (payments) */
  paymentConstraints?: PaymentConstraints;
  /** type 14, a feature bit field (big-endian) */
  allowedFeatures?: Uint8Array;
  /** unknown odd types, kept verbatim */
  unknown?: UnknownTlv[];
}

const KNOWN = new Set<bigint>(Object.values(ENCRYPTED_DATA_TLV));

/**
 * @example encodeEncryptedDataTlv({ shortChannelId: 1729n, paymentRelay, paymentConstraints, allowedFeatures: new Uint8Array() })
 */
export function encodeEncryptedDataTlv(d: EncryptedDataTlv): Uint8Array {
  const recs: UnknownTlv[] = [];
  const T = ENCRYPTED_DATA_TLV;
  if (d.padding !== undefined) recs.push({ type: T.padding, value: d.padding });
  if (d.shortChannelId !== undefined) recs.push({ type: T.shortChannelId, value: u64(d.shortChannelId) });
  if (d.nextNodeId !== undefined) recs.push({ type: T.nextNodeId, value: point(d.nextNodeId, 'next_node_id') });
  if (d.pathId !== undefined) recs.push({ type: T.pathId, value: d.pathId });
  if (d.nextPathKeyOverride !== undefined)
    recs.push({ type: T.nextPathKeyOverride, value: point(d.nextPathKeyOverride, 'next_path_key_override') });
  if (d.paymentRelay !== undefined) recs.push({ type: T.paymentRelay, value: encodePaymentRelay(d.paymentRelay) });
  if (d.paymentConstraints !== undefined)
    recs.push({ type: T.paymentConstraints, value: encodePaymentConstraints(d.paymentConstraints) });
  if (d.allowedFeatures !== undefined) recs.push({ type: T.allowedFeatures, value: d.allowedFeatures });
  return encodeRecords('encrypted_data_tlv', recs, d.unknown, KNOWN);
}

/**
 * Parses a decrypted `encrypted_data_tlv`. Throws {@link OnionError} 'invalid-tlv' | 'unknown-even'.
 * @example const { shortChannelId, paymentRelay } = decodeEncryptedDataTlv(plaintext)
 */
export function decodeEncryptedDataTlv(bytes: Uint8Array): EncryptedDataTlv {
  const scope = 'encrypted_data_tlv';
  return decodingTlv(scope, () => {
    const records = decodeTlvStream(bytes, scope);
    rejectUnknownEven(records, (t) => KNOWN.has(t), scope);
    const out: EncryptedDataTlv = {};
    const T = ENCRYPTED_DATA_TLV;
    for (const r of records) {
      switch (r.type) {
        case T.padding:
          out.padding = r.value.slice();
          break;
        case T.shortChannelId:
          out.shortChannelId = exact(r.value, 8, 'short_channel_id', r.offset).u64();
          break;
        case T.nextNodeId:
          out.nextNodeId = readPoint(r.value, 'next_node_id');
          break;
        case T.pathId:
          out.pathId = r.value.slice();
          break;
        case T.nextPathKeyOverride:
          out.nextPathKeyOverride = readPoint(r.value, 'next_path_key_override');
          break;
        // tu32 / tu64 tails: the truncated-int decoders reject over-long and non-minimal values.
        case T.paymentRelay:
          out.paymentRelay = decodePaymentRelay(r.value, r.offset);
          break;
        case T.paymentConstraints:
          out.paymentConstraints = decodePaymentConstraints(r.value, r.offset);
          break;
        case T.allowedFeatures:
          out.allowedFeatures = r.value.slice();
          break;
        default:
          (out.unknown ??= []).push({ type: r.type, value: r.value.slice() });
      }
    }
    return out;
  });
}

function u64(n: bigint): Uint8Array {
  if (n < 0n || n > 0xffff_ffff_ffff_ffffn)
    throw new OnionError('invalid-argument', `encrypted_data_tlv/short_channel_id: expected a u64, got ${n}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

function point(p: Uint8Array, field: string): Uint8Array {
  if (p.length !== 33)
    throw new OnionError('invalid-argument', `encrypted_data_tlv/${field}: expected 33 bytes, got ${p.length}`);
  return p;
}

function exact(value: Uint8Array, n: number, field: string, offset: number): ByteReader {
  if (value.length !== n)
    throw new OnionError('invalid-tlv', `encrypted_data_tlv/${field}: expected ${n} bytes, got ${value.length}`);
  return new ByteReader(value, `encrypted_data_tlv/${field}`, offset);
}

function readPoint(value: Uint8Array, field: string): Uint8Array {
  if (value.length !== 33 || !isValidPublicKey(value)) {
    throw new OnionError(
      'invalid-tlv',
      `encrypted_data_tlv/${field}: expected a valid 33-byte point, got ${value.length} bytes`,
    );
  }
  return value.slice();
}
