import { expect } from 'chai';
import {
  decodeInvoiceRequestBytes,
  encodeInvoiceRequestBytes,
  signInvoiceRequest,
  type Bolt12Rule,
} from '../../src/bolt12/index.js';
import { ALICE, BOB, BOB_KEY, path, paths, signedTlv, tlv, tu64, type Fields } from './build.js';
import { expectRule } from './expect-rule.js';
import { hex } from './vectors.js';

/** One valid invoice_request answering Alice's offer of 100 msat; each case overrides some fields. */
const BASE: Fields = { 0: new Uint8Array(8).fill(7), 8: tu64(100), 10: 'coffee', 22: ALICE, 88: BOB };
const makeInvreq = (over: Fields = {}): Uint8Array => signedTlv('invoice_request', { ...BASE, ...over }, BOB_KEY);
/** An invoice_request not answering an offer ("offer to send money"): needs invreq_amount. */
const NO_OFFER: Fields = { 0: new Uint8Array(8).fill(7), 10: 'refund', 82: tu64(5000), 88: BOB };

function rejects(bytes: Uint8Array, rule: Bolt12Rule): void {
  expectRule(() => decodeInvoiceRequestBytes(bytes), rule);
}

const RECURRING: Fields = { 24: new Uint8Array([1, 30]) }; // every 30 days

describe('BOLT 12 invoice_request reader rules', () => {
  it('accepts the base case and verifies its signature', () => {
    const r = decodeInvoiceRequestBytes(makeInvreq());
    expect(hex(r.invreqPayerId)).to.equal(hex(BOB));
  });

  it('accepts an invoice_request without an offer that has invreq_amount', () => {
    expect(decodeInvoiceRequestBytes(signedTlv('invoice_request', NO_OFFER, BOB_KEY)).invreqAmountMsat).to.equal(5000n);
  });

  const cases: [string, Uint8Array, Bolt12Rule][] = [
    [
      'no invreq_payer_id',
      signedTlv('invoice_request', { ...BASE, 88: undefined }, BOB_KEY),
      'invreq.missing-payer-id',
    ],
    ['no invreq_metadata', makeInvreq({ 0: undefined }), 'invreq.missing-metadata'],
    ['no signature', tlv(BASE), 'invreq.missing-signature'],
    ['a signature by another key', signedTlv('invoice_request', BASE, new Uint8Array(32).fill(9)), 'invreq.signature'],
    ['a signature of 63 bytes', tlv({ ...BASE, 240: new Uint8Array(63) }), 'field.fixed-length'],
    ['type 160 (an invoice type)', makeInvreq({ 161: 'x' }), 'invreq.range'],
    ['type 1001 (past the signature range)', makeInvreq({ 1001: 'x' }), 'invreq.range'],
    ['type 3000000001', makeInvreq({ 3000000001: 'x' }), 'invreq.range'],
    ['unknown even signature-range type 242', tlv({ ...BASE, 242: 'x' }), 'tlv.unknown-even'],
    ['invreq_features with even bit 2', makeInvreq({ 84: new Uint8Array([4]) }), 'invreq.unknown-even-feature'],
    ['an invreq_path with zero hops', makeInvreq({ 90: paths(path(0)) }), 'invreq.zero-hops'],
    ['offer_quantity_max without invreq_quantity', makeInvreq({ 20: tu64(5) }), 'invreq.missing-quantity'],
    ['invreq_quantity above offer_quantity_max', makeInvreq({ 20: tu64(5), 86: tu64(6) }), 'invreq.quantity-range'],
    ['invreq_quantity of zero', makeInvreq({ 20: tu64(5), 86: new Uint8Array(0) }), 'invreq.quantity-range'],
    ['invreq_quantity without offer_quantity_max', makeInvreq({ 86: tu64(1) }), 'invreq.unexpected-quantity'],
    ['invreq_amount below offer_amount', makeInvreq({ 82: tu64(99) }), 'invreq.amount-below-expected'],
    [
      'invreq_amount below offer_amount x quantity',
      makeInvreq({ 20: tu64(0), 82: tu64(150), 86: tu64(2) }),
      'invreq.amount-below-expected',
    ],
    ['no amount at all', makeInvreq({ 8: undefined }), 'invreq.missing-amount'],
    [
      'an offer field that breaks an offer rule (zero offer_amount)',
      makeInvreq({ 8: new Uint8Array(0) }),
      'offer.zero-amount',
    ],
    [
      'offer_chains without an offer',
      signedTlv('invoice_request', { ...NO_OFFER, 2: new Uint8Array(32) }, BOB_KEY),
      'invreq.offer-fields-without-offer',
    ],
    [
      'no invreq_amount without an offer',
      signedTlv('invoice_request', { ...NO_OFFER, 82: undefined }, BOB_KEY),
      'invreq.missing-amount',
    ],
    [
      'a BIP 353 name with a space',
      makeInvreq({ 91: new Uint8Array([3, 0x62, 0x20, 0x62, 3, 0x63, 0x6f, 0x6d]) }),
      'invreq.bip353-chars',
    ],
    [
      'a BIP 353 name with trailing bytes',
      makeInvreq({ 91: new Uint8Array([1, 0x62, 1, 0x63, 0]) }),
      'tlv.invalid-value',
    ],
    // BOLT-recurrence (lightning/bolts PR #1240).
    ['a recurring offer without invreq_recurrence_counter', makeInvreq(RECURRING), 'invreq.recurrence-missing-counter'],
    [
      'offer_recurrence_base without invreq_recurrence_start',
      makeInvreq({ ...RECURRING, 26: new Uint8Array([0, 1]), 92: new Uint8Array(0) }),
      'invreq.recurrence-missing-start',
    ],
    [
      'invreq_recurrence_start without a base',
      makeInvreq({ ...RECURRING, 92: new Uint8Array(0), 93: tu64(1) }),
      'invreq.recurrence-unexpected-start',
    ],
    [
      'a period index above the limit',
      makeInvreq({ ...RECURRING, 29: tu64(2), 92: tu64(3) }),
      'invreq.recurrence-over-limit',
    ],
    [
      'cancel on the initial request',
      makeInvreq({ ...RECURRING, 92: new Uint8Array(0), 94: new Uint8Array(0) }),
      'invreq.recurrence-cancel-initial',
    ],
    [
      'a counter for an offer without recurrence',
      makeInvreq({ 92: tu64(1) }),
      'invreq.recurrence-without-offer-recurrence',
    ],
    ['invreq_recurrence_cancel with data', makeInvreq({ ...RECURRING, 92: tu64(1), 94: 'x' }), 'field.empty'],
  ];
  for (const [what, bytes, rule] of cases) {
    it(`rejects ${what} with ${rule}`, () => rejects(bytes, rule));
  }

  it('accepts a later recurring request that cancels, without an amount', () => {
    const r = decodeInvoiceRequestBytes(makeInvreq({ ...RECURRING, 8: undefined, 92: tu64(4), 94: new Uint8Array(0) }));
    expect(r.invreqRecurrenceCounter).to.equal(4);
    expect(r.invreqRecurrenceCancel).to.equal(true);
  });

  it('keeps unknown odd fields, signature-range ones included, byte-identical', () => {
    const bytes = tlv({ ...BASE, 241: 'sig-ext' });
    const signed = makeInvreq({ 1000000001: 'exp', 95: 'odd' });
    const r = decodeInvoiceRequestBytes(signed);
    expect(r.unknownFields.map((u) => u.type)).to.deep.equal([95n, 1000000001n]);
    expect(hex(encodeInvoiceRequestBytes(r))).to.equal(hex(signed));
    const unsigned = decodeInvoiceRequestBytes(bytes, { verifySignature: false });
    expect(unsigned.unknownFields.map((u) => u.type)).to.deep.equal([241n]);
    expect(hex(encodeInvoiceRequestBytes(unsigned))).to.equal(hex(bytes));
  });

  it('signs what it builds so that the reader accepts it', () => {
    const r = decodeInvoiceRequestBytes(makeInvreq());
    const bytes = signInvoiceRequest(
      { ...r, invreqPayerNote: 'thanks', signature: undefined },
      BOB_KEY,
      new Uint8Array(32).fill(1),
    );
    expect(decodeInvoiceRequestBytes(bytes).invreqPayerNote).to.equal('thanks');
  });
});
