/** Converts the BOLT 4 vectors' readable `tlvs` objects into typed `encrypted_data_tlv` values. */
import type { EncryptedDataTlv } from '../../src/blinding/index.js';
import { hex, scidFromString } from '../sphinx/bolt04-vectors.js';

/** The vector's human-readable `tlvs` object as our typed value. */
export function typedTlvs(t: any): EncryptedDataTlv {
  const d: EncryptedDataTlv = {};
  if (t.padding !== undefined) d.padding = hex(t.padding);
  if (t.short_channel_id !== undefined) d.shortChannelId = scidFromString(t.short_channel_id);
  if (t.next_node_id !== undefined) d.nextNodeId = hex(t.next_node_id);
  if (t.path_id !== undefined) d.pathId = hex(t.path_id);
  if (t.next_path_key_override !== undefined) d.nextPathKeyOverride = hex(t.next_path_key_override);
  if (t.payment_relay !== undefined) {
    d.paymentRelay = {
      cltvExpiryDelta: t.payment_relay.cltv_expiry_delta,
      feeProportionalMillionths: t.payment_relay.fee_proportional_millionths ?? 0,
      feeBaseMsat: t.payment_relay.fee_base_msat ?? 0,
    };
  }
  if (t.payment_constraints !== undefined) {
    d.paymentConstraints = {
      maxCltvExpiry: t.payment_constraints.max_cltv_expiry,
      htlcMinimumMsat: BigInt(t.payment_constraints.htlc_minimum_msat),
    };
  }
  if (t.allowed_features !== undefined) d.allowedFeatures = featureBits(t.allowed_features.features);
  for (const k of Object.keys(t).filter((k) => k.startsWith('unknown_tag_'))) {
    (d.unknown ??= []).push({ type: BigInt(k.slice('unknown_tag_'.length)), value: hex(t[k]) });
  }
  return d;
}

/** Feature bit numbers to the minimal big-endian bit field. */
export function featureBits(bits: number[]): Uint8Array {
  if (bits.length === 0) return new Uint8Array(0);
  const len = Math.floor(Math.max(...bits) / 8) + 1;
  const out = new Uint8Array(len);
  for (const b of bits) out[len - 1 - Math.floor(b / 8)] |= 1 << (b % 8);
  return out;
}
