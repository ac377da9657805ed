import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '@jitlsp/shared/crypto';
import { groupOffer } from '../../src/offers/index.js';
import { OfferBook, OfferBookError, type OfferRecord } from '../../src/offers/offer-book.js';
import { LSP_NODE_ID, makeOffer, makePayment, T0 } from './fixtures.js';

function makeRecord(over: Partial<OfferRecord> = {}): OfferRecord {
  const built = makeOffer();
  return {
    nonceHex: '33'.repeat(16),
    offerIdHex: built.offerIdHex,
    offerBytes: built.bytes,
    offer: built.offer,
    lspNodeId: toHex(LSP_NODE_ID),
    createdAtMs: T0.getTime(),
    ...over,
  };
}

describe("The wallet's offer book", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jitlsp-offer-book-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back after a restart the offers it kept, with a group offer and its payment', () => {
    const path = join(dir, 'bolt12-offers.json');
    const terms = {
      offerIdHex: 'ab'.repeat(32),
      totalMsat: 50_000_000n,
      opensAtMs: T0.getTime(),
      closesAtMs: T0.getTime() + 60_000,
      maxPayers: 4,
    };
    const state = groupOffer.invoiceRequested(
      groupOffer.openGroup(terms, makePayment()),
      { payerIdHex: 'p1', amountMsat: 50_000_000n },
      T0.getTime(),
    ).state;
    new OfferBook(path).put(makeRecord({ group: state }));
    const again = new OfferBook(path).get('33'.repeat(16))!;
    expect(toHex(again.offerBytes)).to.equal(toHex(makeRecord().offerBytes));
    expect(again.offer.offerDescription).to.equal('dinner for two');
    expect(again.group).to.deep.equal(state);
    expect(new OfferBook(path).byOfferId(again.offerIdHex)?.nonceHex).to.equal('33'.repeat(16));
  });

  it('starts empty without a file', () => {
    expect(new OfferBook(join(dir, 'none.json')).all()).to.deep.equal([]);
  });

  const broken: [string, string][] = [
    ['text that is not JSON', '{'],
    ['another version', JSON.stringify({ version: 2, offers: [] })],
    ['a bad nonce', JSON.stringify({ version: 1, offers: [{ nonceHex: 'zz' }] })],
    [
      'offer bytes that are not an offer',
      JSON.stringify({
        version: 1,
        offers: [
          { nonceHex: '33'.repeat(16), lspNodeId: toHex(LSP_NODE_ID), createdAtMs: 1, offerBytes: { $hex: '0000' } },
        ],
      }),
    ],
  ];
  for (const [what, text] of broken) {
    it(`refuses to start from ${what}, naming the file`, () => {
      const path = join(dir, 'bolt12-offers.json');
      writeFileSync(path, text);
      expect(() => new OfferBook(path)).to.throw(OfferBookError, path);
    });
  }
});
