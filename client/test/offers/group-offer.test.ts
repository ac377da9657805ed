import { expect } from 'chai';
import { groupOffer, type GroupState, type GroupTerms } from '../../src/offers/index.js';
import { makePayment } from './fixtures.js';

const T0 = Date.parse('2026-11-20T12:00:00.000Z');
const TOTAL = 50_000_000n;
const HASH = 'bb'.repeat(32);

function makeTerms(over: Partial<GroupTerms> = {}): GroupTerms {
  return {
    offerIdHex: 'ab'.repeat(32),
    totalMsat: TOTAL,
    opensAtMs: T0,
    closesAtMs: T0 + 600_000,
    maxPayers: 3,
    ...over,
  };
}
const open = (over: Partial<GroupTerms> = {}) => groupOffer.openGroup(makeTerms(over), makePayment());
const ask = (s: GroupState, payer: string, at = T0 + 1000, amountMsat = TOTAL) =>
  groupOffer.invoiceRequested(s, { payerIdHex: payer, amountMsat }, at);

describe('A group offer', () => {
  it('gives every payer in the window an invoice with the one payment, for the total', () => {
    const a = ask(open(), 'p1');
    const b = ask(a.state, 'p2', T0 + 2000);
    for (const step of [a, b]) {
      const act = step.actions[0]!;
      expect(act.kind).to.equal('send-invoice');
      if (act.kind === 'send-invoice') {
        expect(Buffer.from(act.payment.paymentHash).toString('hex')).to.equal(HASH);
        expect(act.amountMsat).to.equal(TOTAL);
      }
    }
    expect(b.state.kind === 'open' && b.state.payerIds).to.deep.equal(['p1', 'p2']);
  });

  it('makes each invoice expire with the window', () => {
    const act = ask(open(), 'p1', T0 + 540_000).actions[0]!;
    expect(act.kind === 'send-invoice' && act.relativeExpirySecs).to.equal(60);
  });

  it("answers a payer's repeated request with the same invoice and counts it once", () => {
    const a = ask(open(), 'p1');
    const again = ask(a.state, 'p1');
    expect(again.actions[0]!.kind).to.equal('send-invoice');
    expect(again.state.kind === 'open' && again.state.payerIds).to.deep.equal(['p1']);
  });

  const refusals: [string, (s: GroupState) => ReturnType<typeof ask>, RegExp][] = [
    ['a request naming another amount (the total is suggested)', (s) => ask(s, 'p1', T0, TOTAL - 1n), /group total/],
    ['a request past the window', (s) => ask(s, 'p1', T0 + 600_000), /closed \(expired\)/],
    [
      'a payer beyond the most the group takes',
      (s) => ask(ask(ask(ask(s, 'p1').state, 'p2').state, 'p3').state, 'p4'),
      /as many payers/,
    ],
  ];
  for (const [what, run, message] of refusals) {
    it(`refuses ${what}`, () => {
      const step = run(open());
      const act = step.actions[step.actions.length - 1]!;
      expect(act.kind).to.equal('send-invoice-error');
      if (act.kind === 'send-invoice-error') expect(act.error).to.match(message);
    });
  }

  it('names invreq_amount and suggests the total to a payer who asked for another amount', () => {
    const act = ask(open(), 'p1', T0, 1n).actions[0]!;
    expect(act).to.deep.include({ kind: 'send-invoice-error', erroneousField: 82n, suggestedTotalMsat: TOTAL });
  });

  it('closes when its payment is claimed, and answers later requests with an error', () => {
    const claimed = groupOffer.paymentClaimed(ask(open(), 'p1').state, HASH.toUpperCase());
    expect(claimed.state).to.deep.include({ kind: 'closed', reason: 'claimed' });
    expect(claimed.actions).to.deep.equal([{ kind: 'group-closed', reason: 'claimed', payers: 1 }]);
    expect(ask(claimed.state, 'p2').actions[0]!.kind).to.equal('send-invoice-error');
  });

  it('ignores the claim of another payment', () => {
    const other = groupOffer.paymentClaimed(open(), 'cc'.repeat(32));
    expect(other.state.kind).to.equal('open');
    expect(other.actions).to.deep.equal([]);
  });

  it('closes at the end of its window on a tick, once', () => {
    expect(groupOffer.tick(open(), T0 + 599_999).actions).to.deep.equal([]);
    const expired = groupOffer.tick(open(), T0 + 600_000);
    expect(expired.state).to.deep.include({ kind: 'closed', reason: 'expired' });
    expect(groupOffer.tick(expired.state, T0 + 700_000).actions).to.deep.equal([]);
  });

  const badTerms: [string, Partial<GroupTerms>][] = [
    ['a zero total', { totalMsat: 0n }],
    ['a window that ends before it starts', { closesAtMs: T0 }],
    ['no payers allowed', { maxPayers: 0 }],
  ];
  for (const [what, over] of badTerms) {
    it(`cannot be opened with ${what}`, () => {
      expect(() => open(over)).to.throw(RangeError);
    });
  }

  it('cannot be opened with a payment that refuses multi-part payment', () => {
    expect(() => groupOffer.openGroup(makeTerms(), makePayment({ mpp: 'none' }))).to.throw(RangeError, /multi-part/);
  });
});
