import { expect } from 'chai';
import {
  BITCOIN_CHAIN_HASH,
  Bolt12Error,
  checkInvoiceChain,
  checkInvoiceMatchesRequest,
  checkInvoiceNotExpired,
  checkInvoiceRequestChain,
  checkInvoiceRequestMatchesOffer,
  checkOfferChains,
  checkOfferNotExpired,
  decodeInvoiceBytes,
  decodeInvoiceRequest,
  decodeInvoiceRequestBytes,
  decodeOfferBytes,
  signInvoice,
  type Bolt12Rule,
  type InvoiceFields,
} from '../../src/bolt12/index.js';
import { ALICE, ALICE_KEY, BOB, BOB_KEY, CAROL, aliceInvoiceFields, key, signedTlv, tlv, tu64 } from './build.js';
import { readVectors, unhex } from './vectors.js';

const TESTNET = unhex('43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000');
const invreqString = readVectors<{ bolt12?: string }[]>('bolts/bolt12/signature-test.json')[3]!.bolt12!;

function throwsRule(f: () => void, rule: Bolt12Rule): void {
  expect(f).to.throw(Bolt12Error).with.property('rule', rule);
}

const OFFER = { 8: tu64(100), 10: 'coffee', 14: tu64(1_700_000_000), 22: ALICE };
const offer = decodeOfferBytes(tlv(OFFER));
const request = (over = {}) =>
  decodeInvoiceRequestBytes(signedTlv('invoice_request', { ...OFFER, 0: 'meta', 88: BOB, ...over }, BOB_KEY));
const BEFORE = new Date(1_699_999_000_000);
const AFTER = new Date(1_700_000_001_000);

describe("BOLT 12 rules that need the reader's context", () => {
  it('accepts an offer without offer_chains only when bitcoin is supported', () => {
    expect(() => checkOfferChains(offer, [BITCOIN_CHAIN_HASH])).not.to.throw();
    throwsRule(() => checkOfferChains(offer, [TESTNET]), 'offer.unsupported-chain');
  });

  it('accepts an offer for testnet when testnet is supported', () => {
    const testnetOffer = decodeOfferBytes(tlv({ ...OFFER, 2: TESTNET }));
    expect(() => checkOfferChains(testnetOffer, [TESTNET])).not.to.throw();
    throwsRule(() => checkOfferChains(testnetOffer, [BITCOIN_CHAIN_HASH]), 'offer.unsupported-chain');
  });

  it('checks invreq_chain (bitcoin when absent) for invoice requests and invoices', () => {
    const req = request();
    expect(() => checkInvoiceRequestChain(req, [BITCOIN_CHAIN_HASH])).not.to.throw();
    throwsRule(() => checkInvoiceRequestChain(req, [TESTNET]), 'invreq.unsupported-chain');
    throwsRule(() => checkInvoiceChain({ invreqChain: TESTNET }, [BITCOIN_CHAIN_HASH]), 'invoice.unsupported-chain');
  });

  it('rejects an expired offer with the time injected', () => {
    expect(() => checkOfferNotExpired(offer, BEFORE)).not.to.throw();
    throwsRule(() => checkOfferNotExpired(offer, AFTER), 'offer.expired');
  });

  it('matches an invoice_request against the offer it answers', () => {
    expect(() => checkInvoiceRequestMatchesOffer(request(), offer, BEFORE)).not.to.throw();
    throwsRule(() => checkInvoiceRequestMatchesOffer(request({ 10: 'tea' }), offer, BEFORE), 'invreq.offer-mismatch');
    throwsRule(() => checkInvoiceRequestMatchesOffer(request({ 33: 'extra' }), offer, BEFORE), 'invreq.offer-mismatch');
    throwsRule(() => checkInvoiceRequestMatchesOffer(request(), offer, AFTER), 'offer.expired');
  });

  it('lets a later recurring request through after offer_absolute_expiry (BOLT-recurrence)', () => {
    const recurring = { ...OFFER, 24: new Uint8Array([1, 30]) };
    const recurringOffer = decodeOfferBytes(tlv(recurring));
    const later = decodeInvoiceRequestBytes(
      signedTlv('invoice_request', { ...recurring, 0: 'meta', 88: BOB, 92: tu64(3) }, BOB_KEY),
    );
    expect(() => checkInvoiceRequestMatchesOffer(later, recurringOffer, AFTER)).not.to.throw();
  });

  describe('an invoice against the invoice_request it answers', () => {
    const req = decodeInvoiceRequest(invreqString);
    const fields = (over: Partial<InvoiceFields> = {}): InvoiceFields => aliceInvoiceFields(req, over);

    it('accepts the invoice from offer_issuer_id that mirrors the request', () => {
      const inv = decodeInvoiceBytes(signInvoice(fields(), ALICE_KEY));
      expect(() => checkInvoiceMatchesRequest(inv, req)).not.to.throw();
    });

    it('rejects an invoice whose mirrored fields differ', () => {
      const inv = decodeInvoiceBytes(signInvoice(fields({ invreqPayerNote: 'added' }), ALICE_KEY));
      throwsRule(() => checkInvoiceMatchesRequest(inv, req), 'invoice.request-mismatch');
    });

    it('rejects an invoice signed by a node other than offer_issuer_id', () => {
      const inv = decodeInvoiceBytes(signInvoice(fields({ invoiceNodeId: CAROL }), key(0x43)));
      throwsRule(() => checkInvoiceMatchesRequest(inv, req), 'invoice.node-id-mismatch');
    });

    it('rejects an expired invoice with the time injected', () => {
      const inv = decodeInvoiceBytes(signInvoice(fields(), ALICE_KEY));
      expect(() => checkInvoiceNotExpired(inv, new Date(1_700_007_200_000))).not.to.throw();
      throwsRule(() => checkInvoiceNotExpired(inv, new Date(1_700_007_201_000)), 'invoice.expired');
    });
  });
});
