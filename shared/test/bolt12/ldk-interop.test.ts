import { expect } from 'chai';
import * as ldk from 'lightningdevkit';
import {
  decodeInvoiceRequest,
  decodeInvoiceRequestBytes,
  decodeOffer,
  encodeOffer,
  signInvoice,
  signInvoiceRequest,
} from '../../src/bolt12/index.js';
import { initLdk } from '@jitlsp/engine/node';
import { ALICE, ALICE_KEY, BOB_KEY, aliceInvoiceFields } from './build.js';
import { hex, readVectors, type OfferVector } from './vectors.js';

/**
 * Interoperability with LDK (lightningdevkit 0.1.0 WASM) in the same process: LDK parses what we
 * write and checks our signatures, and both sides read the spec's offers the same way.
 * LDK 0.1 rejects currency-priced offers in invoice requests, so the signature-test request is
 * re-priced in msat here.
 */
describe('BOLT 12 interoperability with LDK', function () {
  this.timeout(60_000);
  before(() => initLdk());

  const spec = decodeInvoiceRequest(readVectors<{ bolt12?: string }[]>('bolts/bolt12/signature-test.json')[3]!.bolt12!);
  const requestBytes = signInvoiceRequest(
    { ...spec, offerCurrency: undefined, offerAmount: 50_000n, signature: undefined },
    BOB_KEY,
  );

  it('LDK accepts an invoice_request we signed, and reads the same payer id and amount', () => {
    const r = ldk.InvoiceRequest.constructor_read(requestBytes);
    expect(Boolean(r.is_ok())).to.equal(true);
    const req = (r as ldk.Result_InvoiceRequestDecodeErrorZ_OK).res;
    expect(hex(req.payer_signing_pubkey())).to.equal(hex(spec.invreqPayerId));
    expect(hex(req.signature())).to.equal(hex(decodeInvoiceRequestBytes(requestBytes).signature!));
  });

  it('LDK accepts an invoice we built from that request and signed as the offer issuer', () => {
    const req = decodeInvoiceRequestBytes(requestBytes);
    const invoiceBytes = signInvoice(
      aliceInvoiceFields(req, { invoicePaymentHash: new Uint8Array(32).fill(3), invoiceAmountMsat: 50_000n }),
      ALICE_KEY,
    );
    const r = ldk.Bolt12Invoice.constructor_read(invoiceBytes);
    expect(Boolean(r.is_ok())).to.equal(true);
    const inv = (r as ldk.Result_Bolt12InvoiceDecodeErrorZ_OK).res;
    expect(inv.amount_msats()).to.equal(50_000n);
    expect(hex(inv.signing_pubkey())).to.equal(hex(ALICE));
  });

  const offers = readVectors<OfferVector[]>('bolts/bolt12/offers-test.json');

  it('LDK re-reads our encoding of every valid offers-test offer', () => {
    for (const v of offers.filter((o) => o.valid)) {
      expect(
        Boolean(ldk.Offer.constructor_from_str(encodeOffer(decodeOffer(v.bolt12))).is_ok()),
        v.description,
      ).to.equal(true);
    }
  });

  it('LDK 0.1.0 accepts exactly six spec-invalid offers (mostly newer rules), all rejected here', () => {
    const ldkWrong = offers
      .filter((v) => Boolean(ldk.Offer.constructor_from_str(v.bolt12).is_ok()) !== v.valid)
      .map((v) => v.description);
    expect(ldkWrong).to.deep.equal([
      'Malformed: invalid currency UTF-8',
      'Contains unknown feature 122',
      'Invalid: zero offer_amount',
      'Invalid: zero offer_amount with currency',
      'offer_chains with zero entries',
      'Bech32 padding exceeds 4-bit limit',
    ]);
    for (const d of ldkWrong) expect(() => decodeOffer(offers.find((v) => v.description === d)!.bolt12), d).to.throw();
  });
});
