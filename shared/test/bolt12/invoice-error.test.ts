import { expect } from 'chai';
import {
  Bolt12Error,
  decodeInvoiceErrorBytes,
  decodeInvoiceErrorPayload,
  encodeInvoiceErrorBytes,
  encodeInvoiceErrorPayload,
  invoiceErrorFor,
  type Bolt12Rule,
} from '../../src/bolt12/index.js';
import { bytes, tlv, tu64, type Fields } from './build.js';
import { hex } from './vectors.js';

describe('BOLT 12 invoice_error', () => {
  it('builds an invoice_error naming the field and a suggested value, and decodes it byte-identical', () => {
    const bytes = encodeInvoiceErrorBytes({
      erroneousField: 82n,
      suggestedValue: tu64(10_000),
      error: 'amount below the offer',
      unknownFields: [{ type: 7n, value: new Uint8Array([1]) }],
    });
    const e = decodeInvoiceErrorBytes(bytes);
    expect(e.erroneousField).to.equal(82n);
    expect(hex(e.suggestedValue!)).to.equal('2710');
    expect(e.error).to.equal('amount below the offer');
    expect(e.unknownFields.map((u) => u.type)).to.deep.equal([7n]);
    expect(hex(encodeInvoiceErrorBytes(e))).to.equal(hex(bytes));
  });

  const cases: [string, Fields, Bolt12Rule][] = [
    ['no error string', { 1: tu64(82) }, 'invoice_error.missing-error'],
    ['suggested_value without erroneous_field', { 3: 'x', 5: 'bad' }, 'invoice_error.suggested-without-field'],
    ['an unknown even type', { 5: 'bad', 6: 'x' }, 'tlv.unknown-even'],
    ['an error that is not UTF-8', { 5: new Uint8Array([0xff]) }, 'field.utf8'],
  ];
  for (const [what, fields, rule] of cases) {
    it(`rejects ${what} with ${rule}`, () => {
      expect(() => decodeInvoiceErrorBytes(tlv(fields)))
        .to.throw(Bolt12Error)
        .with.property('rule', rule);
    });
  }

  it("reads LDK 0.1's length-prefixed invoice_error value (03 05 01 78) and the bare stream alike", () => {
    expect(decodeInvoiceErrorPayload(bytes('03050178')).error).to.equal('x');
    expect(decodeInvoiceErrorPayload(tlv({ 5: 'x' })).error).to.equal('x');
    // A bare stream whose first type equals its remaining length is still read as a bare stream.
    expect(decodeInvoiceErrorPayload(tlv({ 5: 'abcd' })).error).to.equal('abcd');
  });

  it("writes LDK's framing only when asked, and reads back what it wrote", () => {
    const e = { erroneousField: 82n, suggestedValue: tu64(5000), error: 'amount too low' };
    const bare = encodeInvoiceErrorPayload(e);
    const ldk = encodeInvoiceErrorPayload(e, { ldkFraming: true });
    expect(hex(ldk)).to.equal(bare.length.toString(16).padStart(2, '0') + hex(bare));
    expect(decodeInvoiceErrorPayload(ldk)).to.deep.include(e);
    expect(decodeInvoiceErrorPayload(bare)).to.deep.include(e);
  });

  it('names the erroneous field of a broken rule and its message', () => {
    const e = invoiceErrorFor(new Bolt12Error('invreq.amount-below-expected', '1 < 2 msat', 82n), tu64(2));
    expect(e.erroneousField).to.equal(82n);
    expect(hex(e.suggestedValue!)).to.equal('02');
    expect(e.error).to.match(/^invreq.amount-below-expected/);
    const noField = invoiceErrorFor(new Bolt12Error('invreq.offer-mismatch'), tu64(2));
    expect(noField).to.deep.equal({ error: noField.error });
  });
});
