/** Helpers for table tests: raw TLV records (so invalid messages can be built) and test keys. */
import { getPublicKey } from '../../src/crypto/index.js';
import { encodeTlvStream, encodeTu64 } from '../../src/tlv/index.js';
import {
  fieldsFromInvoiceRequest,
  merkleRoot,
  signMerkleRoot,
  type InvoiceFields,
  type InvoiceRequest,
  type SignedMessageName,
} from '../../src/bolt12/index.js';
import {
  encodeBlindedPaths,
  encodeBlindedPayInfos,
  type BlindedPath,
  type BlindedPayInfo,
} from '../../src/wire/index.js';
import { unhex } from './vectors.js';

export const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
export const ALICE_KEY = key(0x41);
export const BOB_KEY = key(0x42);
export const ALICE = getPublicKey(ALICE_KEY);
export const BOB = getPublicKey(BOB_KEY);
export const CAROL = getPublicKey(key(0x43));

export type Fields = Record<string, Uint8Array | string | undefined>;

const utf8 = new TextEncoder();
/** Strings are UTF-8, bytes as they are. */
const asBytes = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? utf8.encode(v) : v);
export const tu64 = (n: bigint | number): Uint8Array => encodeTu64(BigInt(n));
export const bytes = (h: string): Uint8Array => unhex(h);

/** TLV bytes from `{ type: value }` (undefined values are left out), in type order. */
export function tlv(fields: Fields): Uint8Array {
  const records = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([t, v]) => ({ type: BigInt(t), value: asBytes(v!) }))
    .sort((a, b) => (a.type < b.type ? -1 : 1));
  return encodeTlvStream(records);
}

/** Signs the raw fields as `messageName` and appends the signature (type 240). */
export function signedTlv(messageName: SignedMessageName, fields: Fields, secretKey: Uint8Array): Uint8Array {
  const records = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([t, v]) => ({ type: BigInt(t), value: asBytes(v!) }))
    .sort((a, b) => (a.type < b.type ? -1 : 1));
  const sig = signMerkleRoot(messageName, merkleRoot(records), secretKey);
  return tlv({ ...fields, 240: sig });
}

export function path(hops = 1, intro: Uint8Array = CAROL): BlindedPath {
  return {
    introduction: { kind: 'nodeId', nodeId: intro },
    firstPathKey: BOB,
    hops: Array.from({ length: hops }, (_, i) => ({
      blindedNodeId: ALICE,
      encryptedRecipientData: new Uint8Array([i, 1, 2]),
    })),
  };
}
export const paths = (...p: BlindedPath[]): Uint8Array => encodeBlindedPaths(p);

export function payinfo(features: Uint8Array = new Uint8Array(0)): BlindedPayInfo {
  return {
    feeBaseMsat: 1000,
    feeProportionalMillionths: 100,
    cltvExpiryDelta: 144,
    htlcMinimumMsat: 1n,
    htlcMaximumMsat: 1_000_000_000n,
    features,
  };
}
export const payinfos = (...p: BlindedPayInfo[]): Uint8Array => encodeBlindedPayInfos(p);

/**
 * The invoice Alice (the offer issuer) answers `req` with: the request's fields mirrored, one blinded path
 * through Carol, created at 1,700,000,000; `over` replaces any field (amount, payment hash, paths).
 */
export function aliceInvoiceFields(req: InvoiceRequest, over: Partial<InvoiceFields> = {}): InvoiceFields {
  return {
    ...fieldsFromInvoiceRequest(req),
    invoicePaths: [path(1)],
    invoiceBlindedpay: [payinfo()],
    invoiceCreatedAt: 1_700_000_000n,
    invoicePaymentHash: new Uint8Array(32),
    invoiceAmountMsat: 1000n,
    invoiceNodeId: ALICE,
    ...over,
  };
}

/** A 33-byte string that is not a point: prefix 02 and x = 0 (no y satisfies the curve). */
export const NOT_A_POINT = new Uint8Array(33).fill(0).fill(2, 0, 1);
