import { expect } from 'chai';
import {
  DEFAULT_MAILBOX_LIMITS,
  emptyMailbox,
  expire,
  messageIntercepted,
  peerConnected,
  peerDeregistered,
  restore,
  type Mailbox,
  type MailboxEffect,
  type MailboxLimits,
} from '../../src/lsps2/onion-mailbox.js';
import { registeredPeers, scidDirectory } from '../../src/lsps2/onion-registry.js';
import { MemoryMailboxStore } from '../../src/lsps2/memory-store.js';
import type { JitSession } from '../../src/lsps2/session.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const P1 = '02' + '01'.repeat(32);
const P2 = '02' + '02'.repeat(32);
const P3 = '02' + '03'.repeat(32);
const msg = (n: number) => new Uint8Array([n, n, n]);

function push(
  m: Mailbox,
  peer: string,
  n: number,
  ms = 0,
  limits: MailboxLimits = DEFAULT_MAILBOX_LIMITS,
  registered = true,
) {
  return messageIntercepted(m, { peerNodeId: peer, message: msg(n), registered, now: at(ms) }, limits);
}
const delivered = (effects: MailboxEffect[]) =>
  effects.flatMap((e) => (e.kind === 'deliver' ? [e.message.message[0]] : []));
const drops = (effects: MailboxEffect[]) =>
  effects.flatMap((e) => (e.kind === 'dropped' ? [`${e.reason}:${e.count}`] : []));

describe('onion-message mailbox for offline JIT clients', () => {
  it('holds messages for a registered peer and delivers them in arrival order when it connects', () => {
    let m = emptyMailbox();
    for (const n of [3, 1, 2]) m = push(m, P1, n).mailbox;
    const step = peerConnected(m, P1, at(10));
    expect(delivered(step.effects)).to.deep.equal([3, 1, 2]);
    expect(step.effects[0]!.kind).to.equal('delete');
    expect(step.mailbox.total).to.equal(0);
    expect(peerConnected(step.mailbox, P1, at(11)).effects).to.deep.equal([]);
  });

  it('persists each held message (a put effect) before anything is delivered', () => {
    const s = push(emptyMailbox(), P1, 1);
    expect(s.effects.map((e) => e.kind)).to.deep.equal(['put']);
  });

  it('drops and counts messages for unregistered peers', () => {
    const s = push(emptyMailbox(), P1, 1, 0, DEFAULT_MAILBOX_LIMITS, false);
    expect(drops(s.effects)).to.deep.equal(['unregistered:1']);
    expect(s.mailbox.total).to.equal(0);
  });

  it('de-duplicates the same message for the same peer (LDK sends invoice_requests twice)', () => {
    const a = push(emptyMailbox(), P1, 1);
    const b = push(a.mailbox, P1, 1, 5);
    expect(drops(b.effects)).to.deep.equal(['duplicate:1']);
    expect(b.mailbox.total).to.equal(1);
    expect(push(a.mailbox, P2, 1).mailbox.total).to.equal(2);
  });

  it('bounds one peer: the oldest message goes when the queue is full', () => {
    const limits = { ...DEFAULT_MAILBOX_LIMITS, maxPerPeer: 2 };
    let m = emptyMailbox();
    const effects: MailboxEffect[] = [];
    for (const n of [1, 2, 3]) {
      const s = push(m, P1, n, n, limits);
      m = s.mailbox;
      effects.push(...s.effects);
    }
    expect(drops(effects)).to.deep.equal(['peer_full:1']);
    expect(delivered(peerConnected(m, P1, at(10)).effects)).to.deep.equal([2, 3]);
  });

  it('bounds the total: evicts from the peer holding the most', () => {
    const limits = { ...DEFAULT_MAILBOX_LIMITS, maxTotal: 3 };
    let m = emptyMailbox();
    m = push(m, P1, 1, 0, limits).mailbox;
    m = push(m, P1, 2, 1, limits).mailbox;
    m = push(m, P2, 3, 2, limits).mailbox;
    const s = push(m, P3, 4, 3, limits);
    expect(drops(s.effects)).to.deep.equal(['total_full:1']);
    expect(s.mailbox.total).to.equal(3);
    expect(delivered(peerConnected(s.mailbox, P1, at(5)).effects)).to.deep.equal([2]);
    expect(delivered(peerConnected(s.mailbox, P3, at(5)).effects)).to.deep.equal([4]);
  });

  it('refuses a message larger than the limit', () => {
    const s = messageIntercepted(emptyMailbox(), {
      peerNodeId: P1,
      message: new Uint8Array(70_000),
      registered: true,
      now: T0,
    });
    expect(drops(s.effects)).to.deep.equal(['too_large:1']);
  });

  it('expires messages after the TTL, on the timer and on delivery', () => {
    const limits = { ...DEFAULT_MAILBOX_LIMITS, ttlMs: 1000 };
    let m = push(emptyMailbox(), P1, 1, 0, limits).mailbox;
    m = push(m, P1, 2, 500, limits).mailbox;
    expect(expire(m, at(999)).effects).to.deep.equal([]);
    const e = expire(m, at(1000));
    expect(drops(e.effects)).to.deep.equal(['expired:1']);
    const c = peerConnected(m, P1, at(1200));
    expect(delivered(c.effects)).to.deep.equal([2]);
    expect(drops(c.effects)).to.deep.equal(['expired:1']);
  });

  it("forgets a deregistered peer's messages", () => {
    const m = push(emptyMailbox(), P1, 1).mailbox;
    const s = peerDeregistered(m, P1);
    expect(drops(s.effects)).to.deep.equal(['unregistered:1']);
    expect(s.mailbox.total).to.equal(0);
  });

  it('restores from the store after a restart without losing order, and keeps numbering after it', async () => {
    const store = new MemoryMailboxStore();
    let m = emptyMailbox();
    for (const [peer, n] of [
      [P1, 1],
      [P2, 2],
      [P1, 3],
    ] as const) {
      const s = push(m, peer, n, n);
      m = s.mailbox;
      for (const e of s.effects) if (e.kind === 'put') await store.put(e.message);
    }
    const r = restore(await store.loadAll(), at(100));
    expect(r.effects).to.deep.equal([]);
    expect(r.mailbox.total).to.equal(3);
    expect(delivered(peerConnected(r.mailbox, P1, at(101)).effects)).to.deep.equal([1, 3]);
    const next = push(r.mailbox, P2, 9, 102);
    const put = next.effects.find((e) => e.kind === 'put') as Extract<MailboxEffect, { kind: 'put' }>;
    expect(put.message.seq).to.be.greaterThan(3);
    const stale = restore(await store.loadAll(), at(DEFAULT_MAILBOX_LIMITS.ttlMs + 10));
    expect(drops(stale.effects)).to.deep.equal(['expired:3']);
  });
});

describe('onion registry (which peers and SCIDs the LSP answers for)', () => {
  const session = (
    scid: bigint,
    peer: string,
    validMs: number,
    kind: 'awaitingPayment' | 'closed' = 'awaitingPayment',
  ) =>
    ({
      terms: { jitChannelScid: scid, clientNodeId: peer, feeParams: { validUntil: at(validMs) } },
      state:
        kind === 'closed'
          ? { kind, outcome: 'paid', channelId: null, collectedFeeMsat: 0n, held: [], forwarded: [], failed: [] }
          : { kind, held: [], forwarded: [], failed: [] },
    }) as unknown as JitSession;

  it('registers peers with an unexpired open session and maps their JIT SCIDs to them until valid_until', () => {
    const sessions = [session(1n, P1, 1000), session(2n, P2, 10), session(3n, P3, 1000, 'closed')];
    expect([...registeredPeers(sessions, at(100))]).to.deep.equal([P1]);
    expect([...scidDirectory(sessions, at(5))]).to.deep.equal([
      [1n, P1],
      [2n, P2],
    ]);
    expect(scidDirectory(sessions, at(1000)).size).to.equal(0);
  });
});
