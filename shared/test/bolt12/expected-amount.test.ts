import { expect } from 'chai';
import {
  Bolt12Error,
  checkInvoiceAmount,
  decodeInvoiceBytes,
  decodeInvoiceRequestBytes,
  expectedAmountMsat,
  signInvoice,
} from '../../src/bolt12/index.js';
import { ALICE, ALICE_KEY, BOB, BOB_KEY, aliceInvoiceFields, signedTlv, tu64 } from './build.js';

const OFFER = { 8: tu64(100), 10: 'coffee', 20: tu64(5), 22: ALICE };
const request = (over = {}) =>
  decodeInvoiceRequestBytes(
    signedTlv('invoice_request', { ...OFFER, 0: 'meta', 86: tu64(1), 88: BOB, ...over }, BOB_KEY),
  );
const invoice = (req: ReturnType<typeof request>, amountMsat: bigint) =>
  decodeInvoiceBytes(signInvoice(aliceInvoiceFields(req, { invoiceAmountMsat: amountMsat }), ALICE_KEY));

describe("BOLT 12's expected amount", () => {
  it('is offer_amount times invreq_quantity, and unknown with a currency or without an amount', () => {
    expect(expectedAmountMsat({ offerAmount: 100n })).to.equal(100n);
    expect(expectedAmountMsat({ offerAmount: 100n, invreqQuantity: 3n })).to.equal(300n);
    expect(expectedAmountMsat({ offerAmount: 100n, offerCurrency: 'USD' })).to.equal(undefined);
    expect(expectedAmountMsat({})).to.equal(undefined);
  });

  it('accepts an invoice for the expected amount when the request named none', () => {
    expect(() => checkInvoiceAmount(invoice(request({ 86: tu64(3) }), 300n))).not.to.throw();
  });

  it('rejects an invoice that raises the price of a fixed-amount offer', () => {
    expect(() => checkInvoiceAmount(invoice(request({ 86: tu64(3) }), 301n)))
      .to.throw(Bolt12Error)
      .with.property('rule', 'invoice.amount-not-expected');
  });

  it('leaves an invoice for a request that named its amount to the decoder (invoice_amount = invreq_amount)', () => {
    expect(() => checkInvoiceAmount(invoice(request({ 82: tu64(500) }), 500n))).not.to.throw();
  });
});
