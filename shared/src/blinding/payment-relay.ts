/**
 * The `payment_relay` and `payment_constraints` values inside `encrypted_data_tlv`
 * (BOLT 4 "Inside encrypted_recipient_data: encrypted_data_tlv", types 10 and 12).
 *
 * payment_relay      = u16 cltv_expiry_delta || u32 fee_proportional_millionths || tu32 fee_base_msat
 * payment_constraints = u32 max_cltv_expiry || tu64 htlc_minimum_msat
 */
import { ByteReader, ByteWriter } from '../tlv/index.js';

export interface PaymentRelay {
  cltvExpiryDelta: number;
  feeProportionalMillionths: number;
  feeBaseMsat: number;
}

export interface PaymentConstraints {
  maxCltvExpiry: number;
  htlcMinimumMsat: bigint;
}

/** @example encodePaymentRelay({ cltvExpiryDelta: 144, feeProportionalMillionths: 0, feeBaseMsat: 0 }) */
export function encodePaymentRelay(r: PaymentRelay): Uint8Array {
  return new ByteWriter().u16(r.cltvExpiryDelta).u32(r.feeProportionalMillionths).tu32(r.feeBaseMsat).finish();
}

/** Throws `TlvError` on a short or non-minimal value (the caller maps it to `OnionError`). */
export function decodePaymentRelay(value: Uint8Array, baseOffset = 0): PaymentRelay {
  const r = new ByteReader(value, 'encrypted_data_tlv/payment_relay', baseOffset);
  const cltvExpiryDelta = r.u16();
  const feeProportionalMillionths = r.u32();
  const feeBaseMsat = r.tu32();
  return { cltvExpiryDelta, feeProportionalMillionths, feeBaseMsat };
}

/** @example encodePaymentConstraints({ maxCltvExpiry: 800_000, htlcMinimumMsat: 1n }) */
export function encodePaymentConstraints(c: PaymentConstraints): Uint8Array {
  return new ByteWriter().u32(c.maxCltvExpiry).tu64(c.htlcMinimumMsat).finish();
}

export function decodePaymentConstraints(value: Uint8Array, baseOffset = 0): PaymentConstraints {
  const r = new ByteReader(value, 'encrypted_data_tlv/payment_constraints', baseOffset);
  const maxCltvExpiry = r.u32();
  const htlcMinimumMsat = r.tu64();
  return { maxCltvExpiry, htlcMinimumMsat };
}
