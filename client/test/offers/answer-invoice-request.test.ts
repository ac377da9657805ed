import { expect } from 'chai';
import { BITCOIN_CHAIN_HASH, decodeInvoiceBytes, offerId } from '@jitlsp/shared/bolt12';
import { toHex } from '@jitlsp/shared/crypto';
import { encodeTu64 } from '@jitlsp/shared/tlv';
import {
  buildInvoice,
  judgeInvoiceRequest,
  payerKeyPair,
  verifyInvoice,
  type InvoiceRequestVerdict,
} from '../../src/offers/index.js';
import { editRequest, makeOffer, makePayment, makeRequest, offerKey, PAYER_ROOT, REGTEST, T0 } from './fixtures.js';

const CTX = { now: T0, supportedChains: [REGTEST] };
const offer = makeOffer({ quantityMax: 3n }).offer;
const request = (over = {}) => makeRequest({ quantity: 1n, ...over }, { quantityMax: 3n });
const payerKey = payerKeyPair(PAYER_ROOT, new Uint8Array(32).fill(0x88)).secretKey;
const tu64 = (n: bigint) => encodeTu64(n);
const utf8 = (s: string) => new TextEncoder().encode(s);

function accepted(v: InvoiceRequestVerdict) {
  if (v.kind !== 'accept') throw new Error(`expected accept, got ${JSON.stringify(v, (_k, x) => String(x))}`);
  return v;
}

describe('Answering an invoice_request for a TS-built offer', () => {
  it('accepts a valid request at the expected amount, and signs an invoice the payer verifies', () => {
    const req = request({ quantity: 2n });
    const v = accepted(judgeInvoiceRequest(offer, req.bytes, CTX));
    expect(v.amountMsat).to.equal(100_000_000n);
    const bytes = buildInvoice(v, makePayment(), offerKey().secretKey, T0);
    const inv = verifyInvoice(bytes, { request: req.request, now: T0, supportedChains: [REGTEST] });
    expect(inv.invoiceAmountMsat).to.equal(100_000_000n);
    expect(toHex(inv.invoiceNodeId)).to.equal(toHex(offerKey().publicKey));
    expect(toHex(offerId(inv))).to.equal(toHex(offerId(offer)));
    expect(inv.invoiceFeatures && toHex(inv.invoiceFeatures)).to.equal('020000');
  });

  it('takes the amount the payer named when it is above the offer (a tip)', () => {
    expect(accepted(judgeInvoiceRequest(offer, request({ amountMsat: 60_000_000n }).bytes, CTX)).amountMsat).to.equal(
      60_000_000n,
    );
  });

  it('mirrors the request into the invoice, unknown odd fields included, and sets the expiry when not 7200 s', () => {
    const req = editRequest(
      request().bytes,
      (rs) => [...rs, { type: 2_000_000_001n, value: utf8('hi'), offset: 0 }],
      payerKey,
    );
    const v = accepted(judgeInvoiceRequest(offer, req, CTX));
    const inv = decodeInvoiceBytes(
      buildInvoice(v, makePayment({ relativeExpirySecs: 600, mpp: 'none' }), offerKey().secretKey, T0),
    );
    expect(inv.unknownFields.map((u) => u.type)).to.deep.equal([2_000_000_001n]);
    expect(inv.invoiceRelativeExpiry).to.equal(600);
    expect(inv.invoiceFeatures).to.equal(undefined);
  });

  type Case = [
    string,
    () => Uint8Array,
    { kind: 'reject'; field?: bigint; rule: string } | { kind: 'drop'; reason: string },
  ];
  const hostile: Case[] = [
    [
      'a bad signature',
      // The payer note is added after signing: the signature no longer covers the fields.
      () => editRequest(request().bytes, (rs) => [...rs, { type: 89n, value: utf8('x'), offset: 0 }]),
      { kind: 'reject', field: 240n, rule: 'invreq.signature' },
    ],
    [
      'an invreq_chain the wallet does not support',
      () =>
        editRequest(
          request().bytes,
          (rs) => rs.map((r) => (r.type === 80n ? { ...r, value: BITCOIN_CHAIN_HASH } : r)),
          payerKey,
        ),
      { kind: 'reject', field: 80n, rule: 'invreq.unsupported-chain' },
    ],
    [
      'an amount below the offer',
      () => editRequest(request().bytes, (rs) => [...rs, { type: 82n, value: tu64(49_999_999n), offset: 0 }], payerKey),
      { kind: 'reject', field: 82n, rule: 'invreq.amount-below-expected' },
    ],
    [
      'an unknown even field',
      () =>
        editRequest(request().bytes, (rs) => [...rs, { type: 2_000_000_002n, value: utf8('x'), offset: 0 }], payerKey),
      { kind: 'reject', field: 2_000_000_002n, rule: 'tlv.unknown-even' },
    ],
    [
      'a quantity above the maximum',
      () =>
        editRequest(request().bytes, (rs) => rs.map((r) => (r.type === 86n ? { ...r, value: tu64(4n) } : r)), payerKey),
      { kind: 'reject', field: 86n, rule: 'invreq.quantity-range' },
    ],
    [
      'a field outside the invoice_request ranges',
      () => editRequest(request().bytes, (rs) => [...rs, { type: 161n, value: utf8('x'), offset: 0 }], payerKey),
      { kind: 'reject', field: 161n, rule: 'invreq.range' },
    ],
    ['bytes that are not a TLV stream', () => new Uint8Array([0xff, 0xff]), { kind: 'reject', rule: 'tlv.truncated' }],
    [
      'an oversized message',
      () =>
        editRequest(
          request().bytes,
          (rs) => [...rs, { type: 89n, value: new Uint8Array(9000).fill(0x61), offset: 0 }],
          payerKey,
        ),
      { kind: 'drop', reason: 'oversized' },
    ],
    [
      'the fields of another offer',
      () => makeRequest({}, { description: 'another offer' }).bytes,
      { kind: 'drop', reason: 'offer-mismatch' },
    ],
    [
      'a request that answers no offer',
      () =>
        editRequest(
          request().bytes,
          (rs) => [
            ...rs.filter((r) => r.type === 0n || r.type === 88n || r.type === 80n),
            { type: 82n, value: tu64(1000n), offset: 0 },
          ],
          payerKey,
        ),
      { kind: 'drop', reason: 'not-for-an-offer' },
    ],
  ];
  for (const [what, bytes, expected] of hostile) {
    it(`${expected.kind === 'drop' ? 'drops' : 'answers with an invoice_error'} ${what}`, () => {
      const v = judgeInvoiceRequest(offer, bytes(), CTX);
      expect(v.kind).to.equal(expected.kind);
      if (v.kind === 'reject' && expected.kind === 'reject') {
        expect(v.rule).to.equal(expected.rule);
        expect(v.invoiceError.erroneousField).to.equal(expected.field);
        expect(v.invoiceError.error).to.contain(expected.rule);
      }
      if (v.kind === 'drop' && expected.kind === 'drop') expect(v.reason).to.equal(expected.reason);
    });
  }

  it('suggests the offer amount to a payer who asked for less', () => {
    const bytes = editRequest(request().bytes, (rs) => [...rs, { type: 82n, value: tu64(1n), offset: 0 }], payerKey);
    const v = judgeInvoiceRequest(offer, bytes, CTX);
    expect(v.kind === 'reject' && toHex(v.invoiceError.suggestedValue!)).to.equal(toHex(tu64(50_000_000n)));
  });

  it('answers a request after the offer expired with an invoice_error naming offer_absolute_expiry', () => {
    const v = judgeInvoiceRequest(offer, request().bytes, { ...CTX, now: new Date(T0.getTime() + 3601_000) });
    expect(v.kind === 'reject' && v.invoiceError.erroneousField).to.equal(14n);
  });

  it('never throws on 300 randomly corrupted requests', () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const base = request().bytes;
    for (let i = 0; i < 300; i++) {
      const b = Uint8Array.from(base);
      for (let k = 0; k < 1 + (i % 4); k++) b[rnd() % b.length] = rnd();
      const v = judgeInvoiceRequest(offer, b, CTX);
      expect(['accept', 'reject', 'drop']).to.include(v.kind);
    }
  });
});
