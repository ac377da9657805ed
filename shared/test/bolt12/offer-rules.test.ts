import { expect } from 'chai';
import {
  Bolt12Error,
  decodeOfferBytes,
  encodeOfferBytes,
  isOfferExpired,
  type Bolt12Rule,
} from '../../src/bolt12/index.js';
import { bolt12ToJson } from '../../src/bolt12/json.js';
import { encodeBolt12String } from '../../src/bolt12/index.js';
import { ALICE, NOT_A_POINT, path, paths, tlv, tu64, type Fields } from './build.js';
import { expectRule } from './expect-rule.js';
import { hex } from './vectors.js';

/** One valid offer; each case overrides some fields. */
const makeOffer = (over: Fields = {}): Uint8Array => tlv({ 10: 'coffee', 22: ALICE, ...over });

function rejects(bytes: Uint8Array, rule: Bolt12Rule): void {
  const e = expectRule(() => decodeOfferBytes(bytes), rule);
  expect(e.message).to.match(new RegExp(`^${rule.replace('.', '\\.')}: `));
}

describe('BOLT 12 offer reader rules', () => {
  it('accepts the base case', () => expect(decodeOfferBytes(makeOffer()).offerDescription).to.equal('coffee'));

  const cases: [string, Fields, Bolt12Rule][] = [
    ['type 0 (below the offer range)', { 0: 'x' }, 'offer.range'],
    ['type 80 (an invreq type)', { 80: new Uint8Array(32) }, 'offer.range'],
    ['odd type 81 outside the ranges', { 81: 'x' }, 'offer.range'],
    ['type 2000000001 (above the experimental range)', { 2000000001: 'x' }, 'offer.range'],
    ['unknown even type 78', { 78: 'x' }, 'tlv.unknown-even'],
    ['unknown even experimental type 1000000002', { 1000000002: 'x' }, 'tlv.unknown-even'],
    ['offer_features with even bit 0 set', { 12: new Uint8Array([1]) }, 'offer.unknown-even-feature'],
    ['offer_chains with no entries', { 2: new Uint8Array(0) }, 'offer.empty-chains'],
    ['offer_chains of 33 bytes', { 2: new Uint8Array(33) }, 'field.chain-hashes'],
    ['offer_amount without offer_description', { 8: tu64(100), 10: undefined }, 'offer.amount-without-description'],
    ['offer_amount of zero', { 8: new Uint8Array(0) }, 'offer.zero-amount'],
    ['offer_amount with a leading zero byte', { 8: new Uint8Array([0, 1]) }, 'tlv.non-minimal'],
    ['offer_amount of 9 bytes', { 8: new Uint8Array([1, 1, 1, 1, 1, 1, 1, 1, 1]) }, 'tlv.invalid-value'],
    ['offer_currency without offer_amount', { 6: 'USD' }, 'offer.currency-without-amount'],
    ['neither offer_issuer_id nor offer_paths', { 22: undefined }, 'offer.no-issuer-id-or-paths'],
    ['an offer_path with zero hops', { 16: paths(path(1), path(0)) }, 'offer.zero-hops'],
    ['a path whose first_node_id is not a point', { 16: paths(path(1, NOT_A_POINT)) }, 'field.blinded-path'],
    [
      'a path whose first_path_key is not a point',
      { 16: paths({ ...path(1), firstPathKey: NOT_A_POINT }) },
      'field.blinded-path',
    ],
    [
      'a hop whose blinded_node_id is not a point',
      { 16: paths({ ...path(1), hops: [{ blindedNodeId: NOT_A_POINT, encryptedRecipientData: new Uint8Array(1) }] }) },
      'field.blinded-path',
    ],
    ['a truncated blinded path', { 16: paths(path(2)).subarray(0, 80) }, 'tlv.truncated'],
    ['offer_issuer_id that is not a point', { 22: NOT_A_POINT }, 'field.point'],
    ['offer_issuer_id of 32 bytes', { 22: ALICE.subarray(1) }, 'field.point'],
    ['offer_description that is not UTF-8', { 10: new Uint8Array([0xc3, 0x28]) }, 'field.utf8'],
    // BOLT-recurrence (lightning/bolts PR #1240).
    ['both recurrence variants', { 24: new Uint8Array([1, 1]), 25: new Uint8Array([1, 1]) }, 'offer.recurrence-both'],
    [
      'recurrence time_unit 3 (years, removed by the draft)',
      { 24: new Uint8Array([3, 1]) },
      'offer.recurrence-time-unit',
    ],
    ['recurrence period 0', { 24: new Uint8Array([1]) }, 'offer.recurrence-zero-period'],
    ['recurrence period with a leading zero', { 24: new Uint8Array([1, 0, 1]) }, 'tlv.non-minimal'],
    ['empty recurrence', { 24: new Uint8Array(0) }, 'tlv.truncated'],
    ['recurrence limit 0', { 24: new Uint8Array([1, 7]), 29: new Uint8Array(0) }, 'offer.recurrence-zero-limit'],
    [
      'recurrence base without recurrence',
      { 26: new Uint8Array([0, 1]) },
      'offer.recurrence-fields-without-recurrence',
    ],
    [
      'recurrence paywindow without recurrence',
      { 27: new Uint8Array([0, 0, 0, 1, 1]) },
      'offer.recurrence-fields-without-recurrence',
    ],
    ['recurrence limit without recurrence', { 29: new Uint8Array([5]) }, 'offer.recurrence-fields-without-recurrence'],
  ];
  for (const [what, over, rule] of cases) {
    it(`rejects ${what} with ${rule}`, () => rejects(makeOffer(over), rule));
  }

  it('keeps a recurring offer byte-identical and names its fields in JSON', () => {
    const bytes = makeOffer({
      8: tu64(5000),
      24: new Uint8Array([2, 1]), // monthly
      26: new Uint8Array([1, 0x65, 0x92, 0x00, 0x00]),
      27: new Uint8Array([0, 0, 0x0e, 0x10, 0x0e, 0x10]),
      29: new Uint8Array([12]),
      35: 'odd',
    });
    const o = decodeOfferBytes(bytes);
    expect(o.offerRecurrenceCompulsory).to.deep.equal({ timeUnit: 2, period: 1 });
    expect(o.offerRecurrenceBase).to.deep.equal({ proportionalAmount: 1, basetime: 0x65920000n });
    expect(o.offerRecurrencePaywindow).to.deep.equal({ secondsBefore: 3600, secondsAfter: 3600 });
    expect(o.offerRecurrenceLimit).to.equal(12);
    expect(hex(encodeOfferBytes(o))).to.equal(hex(bytes));
    const json = bolt12ToJson(encodeBolt12String('lno', bytes));
    expect(json.offer_recurrence_compulsory).to.deep.equal({ time_unit: 2, period: 1 });
    expect(json.offer_recurrence_base).to.deep.equal({ proportional_amount: 1, basetime: String(0x65920000) });
    expect(json.offer_amount).to.equal('5000');
    expect(json.unknown_fields).to.deep.equal([{ type: '35', hex: hex(new TextEncoder().encode('odd')) }]);
  });

  it('refuses to encode an offer that breaks a reader rule', () => {
    expect(() => encodeOfferBytes({ offerDescription: 'x' })).to.throw(Bolt12Error, /offer\.no-issuer-id-or-paths/);
  });

  it('treats an offer as expired only after offer_absolute_expiry', () => {
    const o = decodeOfferBytes(makeOffer({ 14: tu64(1_700_000_000) }));
    expect(isOfferExpired(o, new Date(1_700_000_000_000))).to.equal(false);
    expect(isOfferExpired(o, new Date(1_700_000_001_000))).to.equal(true);
    expect(isOfferExpired(decodeOfferBytes(makeOffer()), new Date(4e12))).to.equal(false);
  });
});
