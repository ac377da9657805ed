/** Offers, requests and payments built from one valid case plus overrides, with real keys and paths. */
import { buildBlindedMessagePath, buildBlindedPaymentPath } from '@jitlsp/shared/blinding';
import { merkleRoot, signMerkleRoot } from '@jitlsp/shared/bolt12';
import { getPublicKey } from '@jitlsp/shared/crypto';
import { encodeTlvStream, decodeTlvStream, type TlvRecord } from '@jitlsp/shared/tlv';
import {
  buildInvoiceRequest,
  buildOffer,
  chainHash,
  offerKeyPair,
  type InvoicePayment,
  type InvoiceRequestParams,
  type OfferParams,
} from '../../src/offers/index.js';

export const T0 = new Date('2026-11-20T12:00:00.000Z');
export const REGTEST = chainHash('regtest');

const fill = (n: number, b: number) => new Uint8Array(n).fill(b);
export const RECIPIENT_ROOT = fill(32, 0x11);
export const PAYER_ROOT = fill(32, 0x22);
export const OFFER_NONCE = fill(16, 0x33);
export const WALLET_NODE_ID = getPublicKey(fill(32, 0x44));
export const LSP_NODE_ID = getPublicKey(fill(32, 0x55));
export const offerKey = () => offerKeyPair(RECIPIENT_ROOT, OFFER_NONCE);

export function messagePath(seed = 0x66) {
  return buildBlindedMessagePath({
    sessionKey: fill(32, seed),
    forwardNodeIds: [LSP_NODE_ID],
    recipientNodeId: WALLET_NODE_ID,
    recipientData: { pathId: fill(32, 0x77) },
  }).path;
}

export function makeOfferParams(over: Partial<OfferParams> = {}): OfferParams {
  return {
    issuerId: offerKey().publicKey,
    description: 'dinner for two',
    amountMsat: 50_000_000n,
    issuer: 'Le Bistro',
    absoluteExpiry: new Date(T0.getTime() + 3600_000),
    paths: [messagePath()],
    chain: REGTEST,
    ...over,
  };
}

export const makeOffer = (over: Partial<OfferParams> = {}) => buildOffer(makeOfferParams(over), T0);

export function makeRequest(over: Partial<InvoiceRequestParams> = {}, offerOver: Partial<OfferParams> = {}) {
  return buildInvoiceRequest(PAYER_ROOT, {
    offer: makeOffer(offerOver).offer,
    chain: REGTEST,
    metadata: fill(32, 0x88),
    now: T0,
    ...over,
  });
}

export function makePayment(over: Partial<InvoicePayment> = {}): InvoicePayment {
  const { path, payinfo } = buildBlindedPaymentPath({
    sessionKey: fill(32, 0x99),
    forwardHops: [
      {
        nodeId: LSP_NODE_ID,
        shortChannelId: 0x0000_0100_0000_0001n,
        relay: { cltvExpiryDelta: 144, feeBaseMsat: 0, feeProportionalMillionths: 0 },
      },
    ],
    recipient: {
      nodeId: WALLET_NODE_ID,
      pathId: fill(32, 0xaa),
      constraints: { maxCltvExpiry: 1_000_000, htlcMinimumMsat: 1n },
    },
    minFinalCltvExpiryDelta: 26,
  });
  return { paymentHash: fill(32, 0xbb), paths: [{ path, payinfo }], mpp: 'optional', ...over };
}

/**
 * A request's records with `edit` applied, re-signed by `secretKey` (or left with the old signature
 * when `resign` is false): for hostile requests the codec's writer would refuse to build.
 */
export function editRequest(
  bytes: Uint8Array,
  edit: (records: TlvRecord[]) => TlvRecord[],
  secretKey?: Uint8Array,
): Uint8Array {
  const sorted = (rs: TlvRecord[]) => rs.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const records = sorted(edit(decodeTlvStream(bytes, 'test').filter((r) => r.type !== 240n)));
  const old = decodeTlvStream(bytes, 'test').find((r) => r.type === 240n)!;
  const sig = secretKey ? signMerkleRoot('invoice_request', merkleRoot(records), secretKey) : old.value;
  return encodeTlvStream(sorted([...records, { type: 240n, value: sig, offset: 0 }]));
}
