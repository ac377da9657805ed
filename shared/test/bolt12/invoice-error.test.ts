import { expect } from 'chai';
import {
  Bolt12Error,
  decodeInvoiceErrorBytes,
  encodeInvoiceErrorBytes,
  type Bolt12Rule,
} from '../../src/bolt12/index.js';
import { tlv, tu64, type Fields } from './build.js';
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
});
