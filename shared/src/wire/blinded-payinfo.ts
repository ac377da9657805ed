import { ByteReader, ByteWriter } from '../tlv/index.js';

/**
 * The `blinded_payinfo` subtype of BOLT 12 (`invoice_blindedpay`): the aggregated fees, CLTV delta
 * and HTLC limits of a whole blinded payment path, as BOLT 4 "Route Blinding" computes them.
 */
export type BlindedPayInfo = {
  feeBaseMsat: number;
  feeProportionalMillionths: number;
  cltvExpiryDelta: number;
  htlcMinimumMsat: bigint;
  htlcMaximumMsat: bigint;
  features: Uint8Array;
};

export function decodeBlindedPayInfo(r: ByteReader): BlindedPayInfo {
  const feeBaseMsat = r.u32();
  const feeProportionalMillionths = r.u32();
  const cltvExpiryDelta = r.u16();
  const htlcMinimumMsat = r.u64();
  const htlcMaximumMsat = r.u64();
  const flen = r.u16();
  return {
    feeBaseMsat,
    feeProportionalMillionths,
    cltvExpiryDelta,
    htlcMinimumMsat,
    htlcMaximumMsat,
    features: r.bytes(flen),
  };
}

export function encodeBlindedPayInfo(p: BlindedPayInfo, w: ByteWriter = new ByteWriter()): ByteWriter {
  return w
    .u32(p.feeBaseMsat)
    .u32(p.feeProportionalMillionths)
    .u16(p.cltvExpiryDelta)
    .u64(p.htlcMinimumMsat)
    .u64(p.htlcMaximumMsat)
    .u16(p.features.length)
    .bytes(p.features);
}

/** Decodes `...*blinded_payinfo` (the value of `invoice_blindedpay`). */
export function decodeBlindedPayInfos(value: Uint8Array, scope = 'blindedpay', baseOffset = 0): BlindedPayInfo[] {
  const r = new ByteReader(value, scope, baseOffset);
  const out: BlindedPayInfo[] = [];
  while (!r.done()) out.push(decodeBlindedPayInfo(r));
  return out;
}

export function encodeBlindedPayInfos(infos: readonly BlindedPayInfo[]): Uint8Array {
  const w = new ByteWriter();
  for (const p of infos) encodeBlindedPayInfo(p, w);
  return w.finish();
}
