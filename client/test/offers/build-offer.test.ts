import { expect } from 'chai';
import { decodeOffer } from '@jitlsp/shared/bolt12';
import { toHex } from '@jitlsp/shared/crypto';
import { buildOffer, OfferInputError, offerKeyPair, offersRootFromSeed, payerKeyPair } from '../../src/offers/index.js';
import { makeOffer, makeOfferParams, OFFER_NONCE, offerKey, RECIPIENT_ROOT, REGTEST, T0 } from './fixtures.js';

describe('A BOLT 12 offer built in TypeScript', () => {
  it('carries the amount, description, issuer, expiry, quantity and paths, and decodes to the same fields', () => {
    const built = makeOffer({ quantityMax: 4n });
    const o = decodeOffer(built.string);
    expect(o.offerAmount).to.equal(50_000_000n);
    expect(o.offerDescription).to.equal('dinner for two');
    expect(o.offerIssuer).to.equal('Le Bistro');
    expect(o.offerAbsoluteExpiry).to.equal(BigInt(T0.getTime() / 1000 + 3600));
    expect(o.offerQuantityMax).to.equal(4n);
    expect(toHex(o.offerChains![0]!)).to.equal(toHex(REGTEST));
    expect(o.offerPaths).to.have.length(1);
    expect(toHex(o.offerIssuerId!)).to.equal(toHex(offerKey().publicKey));
    expect(built.offerIdHex).to.match(/^[0-9a-f]{64}$/);
  });

  it('leaves the chain out for bitcoin, and the optional fields out when not given', () => {
    const o = makeOffer({
      chain: new Uint8Array(Buffer.from('6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000', 'hex')),
      amountMsat: undefined,
      issuer: undefined,
      absoluteExpiry: undefined,
    }).offer;
    expect(o.offerChains).to.equal(undefined);
    expect(o.offerAmount).to.equal(undefined);
    expect(o.offerIssuer).to.equal(undefined);
    expect(o.offerAbsoluteExpiry).to.equal(undefined);
  });

  const refusals: [string, Parameters<typeof makeOfferParams>[0], string][] = [
    ['an empty description', { description: '' }, 'description'],
    ['a description too long for a QR code', { description: 'x'.repeat(641) }, 'description'],
    ['a zero amount', { amountMsat: 0n }, 'amountMsat'],
    ['a negative amount', { amountMsat: -1n }, 'amountMsat'],
    ['an amount above 21 million bitcoin', { amountMsat: 2_100_000_000_000_000_001n }, 'amountMsat'],
    ['a negative quantity limit', { quantityMax: -1n }, 'quantityMax'],
    ['an expiry already past', { absoluteExpiry: new Date(T0.getTime() - 1000) }, 'absoluteExpiry'],
    ['an invalid expiry date', { absoluteExpiry: new Date(NaN) }, 'absoluteExpiry'],
    ['no paths', { paths: [] }, 'paths'],
  ];
  for (const [what, over, field] of refusals) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(() => buildOffer(makeOfferParams(over), T0))
        .to.throw(OfferInputError)
        .with.property('field', field);
    });
  }
});

describe("The wallet's BOLT 12 keys", () => {
  it('derive the same offer key from the same seed and nonce, and different keys otherwise', () => {
    const root = offersRootFromSeed(new Uint8Array(32).fill(7));
    const a = offerKeyPair(root, OFFER_NONCE);
    expect(toHex(offerKeyPair(root, OFFER_NONCE).publicKey)).to.equal(toHex(a.publicKey));
    expect(toHex(offerKeyPair(root, new Uint8Array(16).fill(1)).publicKey)).not.to.equal(toHex(a.publicKey));
    expect(toHex(offerKeyPair(RECIPIENT_ROOT, OFFER_NONCE).publicKey)).not.to.equal(toHex(a.publicKey));
  });

  it('give each invoice_request its own payer key, separate from the offer keys', () => {
    const m1 = new Uint8Array(32).fill(1);
    const m2 = new Uint8Array(32).fill(2);
    const p1 = payerKeyPair(RECIPIENT_ROOT, m1).publicKey;
    expect(toHex(payerKeyPair(RECIPIENT_ROOT, m2).publicKey)).not.to.equal(toHex(p1));
    expect(toHex(offerKeyPair(RECIPIENT_ROOT, m1.subarray(0, 16)).publicKey)).not.to.equal(toHex(p1));
  });

  it('refuse a seed or nonce of the wrong length', () => {
    expect(() => offersRootFromSeed(new Uint8Array(31))).to.throw(RangeError, /32-byte seed/);
    expect(() => offerKeyPair(RECIPIENT_ROOT, new Uint8Array(15))).to.throw(RangeError, /16 bytes/);
    expect(() => payerKeyPair(RECIPIENT_ROOT, new Uint8Array(8))).to.throw(RangeError, /at least 16/);
  });
});
