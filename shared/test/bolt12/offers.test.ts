import { expect } from 'chai';
import { sha256 } from '../../src/crypto/index.js';
import { decodeTlvStream } from '../../src/tlv/index.js';
import {
  Bolt12Error,
  decodeBolt12String,
  decodeOffer,
  encodeOffer,
  encodeOfferBytes,
  offerId,
} from '../../src/bolt12/index.js';
import { hex, readVectors, type ExtraVector, type OfferVector } from './vectors.js';

const offers = readVectors<OfferVector[]>('bolts/bolt12/offers-test.json');
const extra = readVectors<{ cases: ExtraVector[] }>('rust-lightning/offer-parse-extra.json').cases;

describe('BOLT 12 offers (offers-test.json)', () => {
  it('has the 53 cases of the spec', () => expect(offers).to.have.length(53));

  offers.forEach((v, i) => {
    it(`case ${i}: ${v.description} -> ${v.valid ? 'valid' : 'invalid'}`, () => {
      if (v.fields) {
        // The field-by-field breakdown, for valid cases and the two zero-amount invalid ones.
        const records = decodeTlvStream(decodeBolt12String(v.bolt12).data);
        expect(records.map((r) => ({ type: Number(r.type), length: r.value.length, hex: hex(r.value) }))).to.deep.equal(
          v.fields,
        );
      }
      if (v.valid) {
        const offer = decodeOffer(v.bolt12);
        // encode(decode(x)) is byte-identical, unknown odd fields included.
        const bytes = decodeBolt12String(v.bolt12).data;
        expect(hex(encodeOfferBytes(offer))).to.equal(hex(bytes));
        expect(encodeOffer(offer)).to.equal(v.bolt12);
        // offer_id (Core Lightning's): SHA256 of the offer's TLV bytes, here the whole stream.
        expect(hex(offerId(offer))).to.equal(hex(sha256(bytes)));
      } else {
        expect(() => decodeOffer(v.bolt12)).to.throw(Bolt12Error);
      }
    });
  });
});

describe('BOLT 12 offers: typed fields of the spec vectors', () => {
  const byName = (d: string) => decodeOffer(offers.find((v) => v.description === d)!.bolt12);

  it('reads the minimal offer as just an issuer id', () => {
    const o = byName('Minimal bolt12 offer');
    expect(hex(o.offerIssuerId!)).to.equal('02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619');
    expect(o.offerDescription).to.equal(undefined);
  });

  it('reads amount, currency and description', () => {
    const o = byName('with currency');
    expect(o.offerCurrency).to.equal('USD');
    expect(o.offerAmount).to.equal(10000n);
    expect(o.offerDescription).to.equal('Test vectors');
  });

  it('reads two chains', () => expect(byName('for bitcoin or liquidv1').offerChains).to.have.length(2));

  it('reads quantity 0 as unlimited, not absent', () =>
    expect(byName('with unlimited (or unknown) quantity').offerQuantityMax).to.equal(0n));

  it('reads a blinded path introduced by sciddir and its direction', () => {
    const o = byName('... and with second blinded path via 1x2x3 (direction 1), path_key 020202...');
    expect(o.offerPaths).to.have.length(2);
    const intro = o.offerPaths![1]!.introduction;
    expect(intro).to.deep.equal({ kind: 'scidDir', direction: 1, scid: (1n << 40n) | (2n << 16n) | 3n });
    expect(o.offerPaths![1]!.hops).to.have.length(2);
  });

  it('keeps unknown odd fields, including experimental ones', () => {
    expect(byName('unknown odd field').unknownFields.map((u) => u.type)).to.deep.equal([33n]);
    expect(byName('unknown odd experimental field').unknownFields.map((u) => u.type)).to.deep.equal([1000000033n]);
  });
});

describe('BOLT 12 offers: extra parse cases from LDK (offer-parse-extra.json)', () => {
  it('has the 5 cases', () => expect(extra).to.have.length(5));

  extra.forEach((v, i) => {
    it(`case ${i}: ${v.comment} -> ${v.valid_as_offer ? 'valid' : 'invalid'}`, () => {
      if (v.valid_as_offer) {
        const offer = decodeOffer(v.string);
        if (v.roundtrip) expect(encodeOffer(offer)).to.equal(v.string);
      } else {
        expect(() => decodeOffer(v.string)).to.throw(Bolt12Error);
      }
    });
  });
});
