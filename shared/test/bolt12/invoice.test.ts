import { expect } from 'chai';
import {
  decodeBolt12String,
  decodeInvoice,
  decodeInvoiceBytes,
  decodeInvoiceRequest,
  encodeBolt12String,
  encodeInvoice,
  encodeInvoiceBytes,
  fieldsFromInvoiceRequest,
  invoiceExpiresAt,
  isInvoiceExpired,
  merkleRoot,
  offerId,
  signInvoice,
  usableFallbacks,
  usableInvoicePaths,
  verifyInvoiceSignature,
  type Bolt12Rule,
  type InvoiceFields,
} from '../../src/bolt12/index.js';
import { expectRule } from './expect-rule.js';
import { bolt12ToJson } from '../../src/bolt12/json.js';
import { decodeTlvStream } from '../../src/tlv/index.js';
import {
  ALICE,
  ALICE_KEY,
  BOB,
  BOB_KEY,
  aliceInvoiceFields,
  path,
  paths,
  payinfo,
  payinfos,
  signedTlv,
  tlv,
  tu64,
  type Fields,
} from './build.js';
import { hex, readVectors } from './vectors.js';

const sigVectors = readVectors<{ bolt12?: string }[]>('bolts/bolt12/signature-test.json');
const invreqString = sigVectors[3]!.bolt12!;
const PAYMENT_HASH = new Uint8Array(32).fill(0xab);

/** The invoice Alice (offer_issuer_id) returns for Bob's invoice_request of signature-test.json. */
function aliceInvoice(over: Partial<InvoiceFields> = {}): InvoiceFields {
  return aliceInvoiceFields(decodeInvoiceRequest(invreqString), {
    invoicePaths: [path(2)],
    invoicePaymentHash: PAYMENT_HASH,
    invoiceAmountMsat: 1_000_000n,
    ...over,
  });
}

describe('BOLT 12 invoices: build, sign, decode, verify', () => {
  it('signs an invoice with the offer issuer key, and decodes it back byte-identical', () => {
    const bytes = signInvoice(aliceInvoice(), ALICE_KEY);
    const s = encodeBolt12String('lni', bytes);
    expect(s.startsWith('lni1')).to.equal(true);
    const inv = decodeInvoice(s);
    expect(verifyInvoiceSignature(inv)).to.equal(true);
    expect(hex(encodeInvoiceBytes(inv))).to.equal(hex(bytes));
    expect(encodeInvoice(inv)).to.equal(s);
    expect(inv.invoiceAmountMsat).to.equal(1_000_000n);
    expect(hex(inv.invoicePaymentHash)).to.equal(hex(PAYMENT_HASH));
    expect(inv.invoicePaths[0]!.hops).to.have.length(2);
  });

  it('mirrors every invoice_request field, so the offer_id is the same along the flow', () => {
    const req = decodeInvoiceRequest(invreqString);
    const inv = decodeInvoiceBytes(signInvoice(aliceInvoice(), ALICE_KEY));
    expect(hex(offerId(inv))).to.equal(hex(offerId(req)));
    const reqRecords = req.records.filter((r) => r.type < 240n);
    const invRecords = inv.records.filter((r) => r.type < 160n);
    expect(invRecords.map((r) => hex(r.value))).to.deep.equal(reqRecords.map((r) => hex(r.value)));
  });

  it('copies unknown odd invoice_request fields into the invoice, and keeps unknown odd invoice fields', () => {
    const req = decodeInvoiceRequest(invreqString);
    const withUnknown = {
      ...fieldsFromInvoiceRequest(req),
      unknownFields: [{ type: 1000000001n, value: new Uint8Array([1]) }],
    };
    const bytes = signInvoice(
      {
        ...aliceInvoice(),
        ...withUnknown,
        unknownFields: [...withUnknown.unknownFields, { type: 3000000001n, value: new Uint8Array([2]) }],
      },
      ALICE_KEY,
    );
    const inv = decodeInvoiceBytes(bytes);
    expect(inv.unknownFields.map((u) => u.type)).to.deep.equal([1000000001n, 3000000001n]);
    expect(hex(encodeInvoiceBytes(inv))).to.equal(hex(bytes));
  });

  it('prints the invoice as JSON with amounts as strings and the signature verdict', () => {
    const json = bolt12ToJson(encodeBolt12String('lni', signInvoice(aliceInvoice(), ALICE_KEY)));
    expect(json.type).to.equal('invoice');
    expect(json.invoice_amount).to.equal('1000000');
    expect(json.invoice_created_at).to.equal('1700000000');
    expect(json.signature_valid).to.equal(true);
    expect((json.invoice_blindedpay as { htlc_maximum_msat: string }[])[0]!.htlc_maximum_msat).to.equal('1000000000');
  });

  it('computes expiry from invoice_relative_expiry, default 7200 seconds', () => {
    const inv = decodeInvoiceBytes(signInvoice(aliceInvoice(), ALICE_KEY));
    expect(invoiceExpiresAt(inv)).to.equal(1_700_007_200n);
    expect(isInvoiceExpired(inv, new Date(1_700_007_200_000))).to.equal(false);
    expect(isInvoiceExpired(inv, new Date(1_700_007_201_000))).to.equal(true);
    const short = decodeInvoiceBytes(signInvoice(aliceInvoice({ invoiceRelativeExpiry: 60 }), ALICE_KEY));
    expect(invoiceExpiresAt(short)).to.equal(1_700_000_060n);
  });

  it('refuses to sign with a key other than invoice_node_id', () => {
    expect(() => signInvoice(aliceInvoice(), BOB_KEY)).to.throw(RangeError);
  });
});

describe('BOLT 12 invoice reader rules', () => {
  /** Raw fields of a valid invoice (no offer, from an invoice_request for 5000 msat). */
  const BASE: Fields = {
    0: new Uint8Array(8).fill(7),
    10: 'refund',
    82: tu64(5000),
    88: BOB,
    160: paths(path(1)),
    162: payinfos(payinfo()),
    164: tu64(1_700_000_000),
    168: PAYMENT_HASH,
    170: tu64(5000),
    176: ALICE,
  };
  const makeInvoice = (over: Fields = {}) => signedTlv('invoice', { ...BASE, ...over }, ALICE_KEY);

  function rejects(bytes: Uint8Array, rule: Bolt12Rule): void {
    expectRule(() => decodeInvoiceBytes(bytes), rule);
  }

  it('accepts the base case', () => expect(decodeInvoiceBytes(makeInvoice()).invoiceAmountMsat).to.equal(5000n));

  it('accepts the MPP feature bits 16 and 17', () => {
    expect(decodeInvoiceBytes(makeInvoice({ 174: new Uint8Array([1, 0, 0]) })).invoiceFeatures).to.have.length(3);
  });

  const RECURRING: Fields = { 8: tu64(5000), 22: ALICE, 24: new Uint8Array([1, 30]), 82: undefined };
  const cases: [string, Uint8Array, Bolt12Rule][] = [
    ['no invoice_amount', makeInvoice({ 170: undefined, 82: undefined }), 'invoice.missing-amount'],
    ['no invoice_created_at', makeInvoice({ 164: undefined }), 'invoice.missing-created-at'],
    ['no invoice_payment_hash', makeInvoice({ 168: undefined }), 'invoice.missing-payment-hash'],
    ['an invoice_payment_hash of 31 bytes', makeInvoice({ 168: new Uint8Array(31) }), 'field.fixed-length'],
    ['no invoice_node_id', tlv({ ...BASE, 176: undefined }), 'invoice.missing-node-id'],
    [
      'invoice_features with unknown even bit 20',
      makeInvoice({ 174: new Uint8Array([0x10, 0, 0]) }),
      'invoice.unknown-even-feature',
    ],
    ['no invoice_paths', makeInvoice({ 160: undefined }), 'invoice.missing-paths'],
    ['empty invoice_paths', makeInvoice({ 160: new Uint8Array(0) }), 'invoice.missing-paths'],
    ['a path with zero hops', makeInvoice({ 160: paths(path(0)) }), 'invoice.zero-hops'],
    ['no invoice_blindedpay', makeInvoice({ 162: undefined }), 'invoice.missing-blindedpay'],
    ['two payinfo for one path', makeInvoice({ 162: payinfos(payinfo(), payinfo()) }), 'invoice.blindedpay-count'],
    ['a truncated payinfo', makeInvoice({ 162: payinfos(payinfo()).subarray(0, 20) }), 'tlv.truncated'],
    [
      'only paths with unknown even payinfo features',
      makeInvoice({ 162: payinfos(payinfo(new Uint8Array([1]))) }),
      'invoice.no-usable-path',
    ],
    ['invoice_amount different from invreq_amount', makeInvoice({ 170: tu64(4999) }), 'invoice.amount-mismatch'],
    ['no signature', tlv(BASE), 'invoice.missing-signature'],
    ['a signature by the payer instead of invoice_node_id', signedTlv('invoice', BASE, BOB_KEY), 'invoice.signature'],
    ['unknown even type 178', makeInvoice({ 178: 'x' }), 'tlv.unknown-even'],
    ['a truncated fallback address', makeInvoice({ 172: new Uint8Array([0, 0, 20, 1]) }), 'tlv.truncated'],
    // BOLT-recurrence (lightning/bolts PR #1240).
    [
      'a recurring invoice without invoice_recurrence_basetime',
      makeInvoice({ ...RECURRING, 92: new Uint8Array(0) }),
      'invoice.recurrence-missing-basetime',
    ],
    [
      'a first recurring invoice whose basetime is not invoice_created_at',
      makeInvoice({ ...RECURRING, 92: new Uint8Array(0), 177: tu64(1) }),
      'invoice.recurrence-basetime',
    ],
    [
      'a first recurring invoice whose basetime is not offer_recurrence_base',
      makeInvoice({
        ...RECURRING,
        26: new Uint8Array([0, 5]),
        92: new Uint8Array(0),
        93: new Uint8Array(0),
        177: tu64(1_700_000_000),
      }),
      'invoice.recurrence-basetime',
    ],
  ];
  for (const [what, bytes, rule] of cases) {
    it(`rejects ${what} with ${rule}`, () => rejects(bytes, rule));
  }

  it('accepts a first recurring invoice whose basetime is invoice_created_at, and names 177 in JSON', () => {
    const bytes = makeInvoice({ ...RECURRING, 92: new Uint8Array(0), 177: tu64(1_700_000_000) });
    const inv = decodeInvoiceBytes(bytes);
    expect(inv.invoiceRecurrenceBasetime).to.equal(1_700_000_000n);
    expect(bolt12ToJson(encodeBolt12String('lni', bytes)).invoice_recurrence_basetime).to.equal('1700000000');
  });

  it('decodes fallback addresses, and skips a path with unknown payinfo features when another is usable', () => {
    const fallback = new Uint8Array([0, 0, 20, ...new Uint8Array(20).fill(5)]);
    const inv = decodeInvoiceBytes(
      makeInvoice({
        160: paths(path(1), path(2)),
        162: payinfos(payinfo(new Uint8Array([1])), payinfo()),
        172: fallback,
      }),
    );
    expect(usableInvoicePaths(inv)).to.deep.equal([1]);
    expect(inv.invoiceFallbacks).to.deep.equal([{ version: 0, address: new Uint8Array(20).fill(5) }]);
  });

  it('ignores fallback addresses with version > 16 or an address outside 2..40 bytes', () => {
    const fb = (version: number, len: number) => [version, len >> 8, len & 0xff, ...new Uint8Array(len).fill(9)];
    const inv = decodeInvoiceBytes(
      makeInvoice({ 172: new Uint8Array([...fb(0, 20), ...fb(17, 20), ...fb(1, 1), ...fb(1, 41), ...fb(16, 40)]) }),
    );
    expect(inv.invoiceFallbacks).to.have.length(5);
    expect(usableFallbacks(inv).map((f) => [f.version, f.address.length])).to.deep.equal([
      [0, 20],
      [16, 40],
    ]);
  });

  it('signs over the Merkle root of every non-signature field', () => {
    const inv = decodeInvoiceBytes(makeInvoice());
    const root = merkleRoot(decodeTlvStream(decodeBolt12String(encodeBolt12String('lni', makeInvoice())).data));
    expect(hex(merkleRoot(inv.records))).to.equal(hex(root));
  });
});
