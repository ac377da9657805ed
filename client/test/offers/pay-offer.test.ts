import { expect } from 'chai';
import {
  BITCOIN_CHAIN_HASH,
  Bolt12Error,
  decodeInvoiceBytes,
  fieldsFromInvoiceRequest,
  signInvoice,
  type InvoiceFields,
} from '@jitlsp/shared/bolt12';
import { getPublicKey, toHex } from '@jitlsp/shared/crypto';
import {
  buildInvoice,
  judgeInvoiceRequest,
  OfferInputError,
  payerKeyPair,
  verifyInvoice,
  type InvoiceRequestParams,
} from '../../src/offers/index.js';
import { makeOffer, makePayment, makeRequest, offerKey, PAYER_ROOT, REGTEST, T0 } from './fixtures.js';

const CTX = { now: T0, supportedChains: [REGTEST] };

describe("The payer's invoice_request for an offer", () => {
  it('copies the offer, names the chain, and is signed by a payer key derived from its metadata', () => {
    const { request } = makeRequest({ amountMsat: 55_000_000n, payerNote: 'my half' });
    expect(request.offerDescription).to.equal('dinner for two');
    expect(toHex(request.invreqChain!)).to.equal(toHex(REGTEST));
    expect(request.invreqAmountMsat).to.equal(55_000_000n);
    expect(request.invreqPayerNote).to.equal('my half');
    expect(toHex(request.invreqPayerId)).to.equal(toHex(payerKeyPair(PAYER_ROOT, request.invreqMetadata).publicKey));
  });

  it('uses a fresh payer key for fresh metadata', () => {
    const a = makeRequest({ metadata: new Uint8Array(32).fill(1) }).request.invreqPayerId;
    const b = makeRequest({ metadata: new Uint8Array(32).fill(2) }).request.invreqPayerId;
    expect(toHex(a)).not.to.equal(toHex(b));
  });

  it('refuses an offer whose expiry is past (BOLT 12: MUST NOT respond)', () => {
    expect(() => makeRequest({ now: new Date(T0.getTime() + 3601_000) }))
      .to.throw(Bolt12Error)
      .with.property('rule', 'offer.expired');
  });

  it('refuses an offer for another chain', () => {
    expect(() => makeRequest({ chain: BITCOIN_CHAIN_HASH }))
      .to.throw(Bolt12Error)
      .with.property('rule', 'offer.unsupported-chain');
  });

  const refusals: [string, Partial<InvoiceRequestParams>, Parameters<typeof makeOffer>[0], string][] = [
    ['no amount for an amountless offer', {}, { amountMsat: undefined }, 'amountMsat'],
    ['an amount below the offer', { amountMsat: 49_999_999n }, {}, 'amountMsat'],
    ['a zero amount', { amountMsat: 0n }, { amountMsat: undefined }, 'amountMsat'],
    ['no quantity when the offer sells a quantity', {}, { quantityMax: 3n }, 'quantity'],
    ['a quantity above the maximum', { quantity: 4n }, { quantityMax: 3n }, 'quantity'],
    ['a quantity for an offer without one', { quantity: 1n }, {}, 'quantity'],
    ['short metadata', { metadata: new Uint8Array(8) }, {}, 'metadata'],
  ];
  for (const [what, over, offerOver, field] of refusals) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(() => makeRequest(over, offerOver))
        .to.throw(OfferInputError)
        .with.property('field', field);
    });
  }
});

describe("The payer's checks on the invoice (BOLT 12 reader)", () => {
  const req = makeRequest();
  const offer = makeOffer().offer;
  const verdict = judgeInvoiceRequest(offer, req.bytes, CTX);
  if (verdict.kind !== 'accept') throw new Error('fixture request refused');
  const good = buildInvoice(verdict, makePayment(), offerKey().secretKey, T0);
  const fields = (): InvoiceFields => {
    const inv = decodeInvoiceBytes(good);
    const { records: _r, ...f } = inv;
    return f;
  };
  const otherKey = new Uint8Array(32).fill(0x5a);

  it('accepts the invoice the issuer answered with', () => {
    expect(verifyInvoice(good, { request: req.request, ...CTX }).invoiceAmountMsat).to.equal(50_000_000n);
  });

  const cases: [string, () => Uint8Array, Partial<typeof CTX>, string][] = [
    [
      'a signature by another key',
      () => signInvoice({ ...fields(), invoiceNodeId: getPublicKey(otherKey) }, otherKey),
      {},
      'invoice.node-id-mismatch',
    ],
    [
      'a raised price',
      () => signInvoice({ ...fields(), invoiceAmountMsat: 50_000_001n }, offerKey().secretKey),
      {},
      'invoice.amount-not-expected',
    ],
    [
      'a changed mirrored field',
      () => signInvoice({ ...fields(), invreqPayerNote: 'changed' }, offerKey().secretKey),
      {},
      'invoice.request-mismatch',
    ],
    ['an invoice expired by the clock', () => good, { now: new Date(T0.getTime() + 7201_000) }, 'invoice.expired'],
    ['an unsupported chain', () => good, { supportedChains: [BITCOIN_CHAIN_HASH] }, 'invoice.unsupported-chain'],
    [
      'a tampered signature',
      () => {
        const b = Uint8Array.from(good);
        b[b.length - 1] ^= 1;
        return b;
      },
      {},
      'invoice.signature',
    ],
    [
      'an unknown even invoice feature',
      () =>
        signInvoice({ ...fields(), invoiceFeatures: new Uint8Array([0x01, 0x00, 0x00, 0x00]) }, offerKey().secretKey),
      {},
      'invoice.unknown-even-feature',
    ],
  ];
  for (const [what, bytes, ctx, rule] of cases) {
    it(`rejects ${what} (${rule})`, () => {
      expect(() => verifyInvoice(bytes(), { request: req.request, ...CTX, ...ctx }))
        .to.throw(Bolt12Error)
        .with.property('rule', rule);
    });
  }

  it('rejects an invoice answering another request of the same payer', () => {
    const other = makeRequest({ metadata: new Uint8Array(32).fill(3) });
    const inv = signInvoice({ ...fields(), ...fieldsFromInvoiceRequest(other.request) }, offerKey().secretKey);
    expect(() => verifyInvoice(inv, { request: req.request, ...CTX }))
      .to.throw(Bolt12Error)
      .with.property('rule', 'invoice.request-mismatch');
  });
});
