/**
 * The TS-built messages as LDK 0.1 reads them (`lightningdevkit` 0.1.0): LDK is what payers and
 * recipients on the other side run, so it must decode our offers, requests and invoices to the
 * same fields.
 */
import { expect } from 'chai';
import * as ldk from 'lightningdevkit';
import { initLdk } from '@jitlsp/engine/node';
import { toHex } from '@jitlsp/shared/crypto';
import { buildInvoice, judgeInvoiceRequest } from '../../src/offers/index.js';
import { makeOffer, makePayment, makeRequest, offerKey, REGTEST, T0 } from './fixtures.js';

describe('TS-built BOLT 12 messages read by LDK 0.1', () => {
  before(async () => {
    await initLdk();
  });

  it('LDK decodes a TS offer with its amount, description, issuer, expiry, quantity, chain and paths', () => {
    const built = makeOffer({ quantityMax: 5n });
    const res = ldk.Offer.constructor_from_str(built.string);
    expect(res).to.be.instanceOf(ldk.Result_OfferBolt12ParseErrorZ_OK);
    const o = (res as ldk.Result_OfferBolt12ParseErrorZ_OK).res;
    const amount = o.amount();
    expect(amount).to.be.instanceOf(ldk.Option_AmountZ_Some);
    expect(((amount as ldk.Option_AmountZ_Some).some as ldk.Amount_Bitcoin).amount_msats).to.equal(50_000_000n);
    expect(o.description().to_str()).to.equal('dinner for two');
    expect(o.issuer().to_str()).to.equal('Le Bistro');
    expect((o.absolute_expiry() as ldk.Option_u64Z_Some).some).to.equal(BigInt(T0.getTime() / 1000 + 3600));
    expect(o.supported_quantity()).to.be.instanceOf(ldk.Quantity_Bounded);
    // The bindings return booleans as 0 or 1.
    expect(!!o.supports_chain(REGTEST)).to.equal(true);
    expect(o.paths()).to.have.length(1);
    expect(toHex(o.issuer_signing_pubkey())).to.equal(toHex(offerKey().publicKey));
    expect(toHex(o.write())).to.equal(toHex(built.bytes));
  });

  it("LDK decodes the payer's TS invoice_request with its amount, chain and payer key", () => {
    const { bytes, request } = makeRequest({ amountMsat: 60_000_000n, payerNote: 'tip included' });
    const res = ldk.InvoiceRequest.constructor_read(bytes);
    expect(res).to.be.instanceOf(ldk.Result_InvoiceRequestDecodeErrorZ_OK);
    const r = (res as ldk.Result_InvoiceRequestDecodeErrorZ_OK).res;
    expect((r.amount_msats() as ldk.Option_u64Z_Some).some).to.equal(60_000_000n);
    expect(toHex(r.chain())).to.equal(toHex(REGTEST));
    expect(toHex(r.payer_signing_pubkey())).to.equal(toHex(request.invreqPayerId));
    expect(r.payer_note().to_str()).to.equal('tip included');
  });

  it("LDK decodes the recipient's TS invoice with its amount, payment hash, signing key and MPP feature", () => {
    const req = makeRequest();
    const v = judgeInvoiceRequest(makeOffer().offer, req.bytes, { now: T0, supportedChains: [REGTEST] });
    if (v.kind !== 'accept') throw new Error('fixture refused');
    const res = ldk.Bolt12Invoice.constructor_read(buildInvoice(v, makePayment(), offerKey().secretKey, T0));
    expect(res).to.be.instanceOf(ldk.Result_Bolt12InvoiceDecodeErrorZ_OK);
    const inv = (res as ldk.Result_Bolt12InvoiceDecodeErrorZ_OK).res;
    expect(inv.amount_msats()).to.equal(50_000_000n);
    expect(toHex(inv.payment_hash())).to.equal('bb'.repeat(32));
    expect(toHex(inv.signing_pubkey())).to.equal(toHex(offerKey().publicKey));
    expect(!!inv.invoice_features().supports_basic_mpp()).to.equal(true);
    expect(inv.payment_paths()).to.have.length(1);
  });
});
