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
  type MailboxAction,
  type MailboxLimits,
} from '../../src/jit/pure/mailbox.js';
import { SessionIndex } from '../../src/jit/memory/session-index.js';
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
const delivered = (actions: MailboxAction[]) =>
  actions.flatMap((e) => (e.kind === 'deliver' ? [e.message.message[0]] : []));
const drops = (actions: MailboxAction[]) =>
  actions.flatMap((e) => (e.kind === 'dropped' ? [`${e.reason}:${e.count}`] : []));

describe('onion-message mailbox for offline JIT clients', () => {
  it('holds messages for a registered peer and delivers them in arrival order when it connects', () => {
    let m = emptyMailbox();
    for (const n of [3, 1, 2]) m = push(m, P1, n).state;
    const step = peerConnected(m, P1, at(10));
    expect(delivered(step.actions)).to.deep.equal([3, 1, 2]);
    expect(step.actions[0]!.kind).to.equal('delete');
    expect(step.state.total).to.equal(0);
    expect(peerConnected(step.state, P1, at(11)).actions).to.deep.equal([]);
  });

  it('persists each held message (a put effect) before anything is delivered', () => {
    const s = push(emptyMailbox(), P1, 1);
    expect(s.actions.map((e) => e.kind)).to.deep.equal(['put']);
  });

  it('drops and counts messages for unregistered peers', () => {
    const s = push(emptyMailbox(), P1, 1, 0, DEFAULT_MAILBOX_LIMITS, false);
    expect(drops(s.actions)).to.deep.equal(['unregistered:1']);
    expect(s.state.total).to.equal(0);
  });

  it('de-duplicates the same message for the same peer (LDK sends invoice_requests twice)', () => {
    const a = push(emptyMailbox(), P1, 1);
    const b = push(a.state, P1, 1, 5);
    expect(drops(b.actions)).to.deep.equal(['duplicate:1']);
    expect(b.state.total).to.equal(1);
    expect(push(a.state, P2, 1).state.total).to.equal(2);
  });

  it('bounds one peer: the oldest message goes when the queue is full', () => {
    const limits = { ...DEFAULT_MAILBOX_LIMITS, maxPerPeer: 2 };
    let m = emptyMailbox();
    const actions: MailboxAction[] = [];
    for (const n of [1, 2, 3]) {
      const s = push(m, P1, n, n, limits);
      m = s.state;
      actions.push(...s.actions);
    }
    expect(drops(actions)).to.deep.equal(['peer_full:1']);
    expect(delivered(peerConnected(m, P1, at(10)).actions)).to.deep.equal([2, 3]);
  });

  it('bounds the total: evicts from the peer holding the most', () => {
    const limits = { ...DEFAULT_MAILBOX_LIMITS, maxTotal: 3 };
    let m = emptyMailbox();
    m = push(m, P1, 1, 0, limits).state;
    m = push(m, P1, 2, 1, limits).state;
    m = push(m, P2, 3, 2, limits).state;
    const s = push(m, P3, 4, 3, limits);
    expect(drops(s.actions)).to.deep.equal(['total_full:1']);
    expect(s.state.total).to.equal(3);
    expect(delivered(peerConnected(s.state, P1, at(5)).actions)).to.deep.equal([2]);
    expect(delivered(peerConnected(s.state, P3, at(5)).actions)).to.deep.equal([4]);
  });

  it('refuses a message larger than the limit', () => {
    const s = messageIntercepted(emptyMailbox(), {
      peerNodeId: P1,
      message: new Uint8Array(70_000),
      registered: true,
      now: T0,
    });
    expect(drops(s.actions)).to.deep.equal(['too_large:1']);
  });

  it('expires messages after the TTL, on the timer and on delivery', () => {
    const limits = { ...DEFAULT_MAILBOX_LIMITS, ttlMs: 1000 };
    let m = push(emptyMailbox(), P1, 1, 0, limits).state;
    m = push(m, P1, 2, 500, limits).state;
    expect(expire(m, at(999)).actions).to.deep.equal([]);
    const e = expire(m, at(1000));
    expect(drops(e.actions)).to.deep.equal(['expired:1']);
    const c = peerConnected(m, P1, at(1200));
    expect(delivered(c.actions)).to.deep.equal([2]);
    expect(drops(c.actions)).to.deep.equal(['expired:1']);
  });

  it("forgets a deregistered peer's messages", () => {
    const m = push(emptyMailbox(), P1, 1).state;
    const s = peerDeregistered(m, P1);
    expect(drops(s.actions)).to.deep.equal(['unregistered:1']);
    expect(s.state.total).to.equal(0);
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
      m = s.state;
      for (const e of s.actions) if (e.kind === 'put') await store.put(e.message);
    }
    const r = restore(await store.loadAll(), at(100));
    expect(r.actions).to.deep.equal([]);
    expect(r.state.total).to.equal(3);
    expect(delivered(peerConnected(r.state, P1, at(101)).actions)).to.deep.equal([1, 3]);
    const next = push(r.state, P2, 9, 102);
    const put = next.actions.find((e) => e.kind === 'put') as Extract<MailboxAction, { kind: 'put' }>;
    expect(put.message.seq).to.be.greaterThan(3);
    const stale = restore(await store.loadAll(), at(DEFAULT_MAILBOX_LIMITS.ttlMs + 10));
    expect(drops(stale.actions)).to.deep.equal(['expired:3']);
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
      terms: {
        jitChannelScid: scid,
        userChannelId: 100n + scid,
        clientNodeId: peer,
        feeParams: { validUntil: at(validMs) },
      },
      state:
        kind === 'closed'
          ? { kind, outcome: 'paid', channelId: null, collectedFeeMsat: 0n, held: [], forwarded: [], failed: [] }
          : { kind, held: [], forwarded: [], failed: [] },
    }) as unknown as JitSession;

  it('registers peers with an unexpired open session and maps their JIT SCIDs to them until valid_until', () => {
    const sessions = [session(1n, P1, 1000), session(2n, P2, 10), session(3n, P3, 1000, 'closed')];
    let now = at(100);
    const index = new SessionIndex(() => now);
    for (const s of sessions) index.put(s);
    expect([P1, P2, P3].filter((p) => index.isRegistered(p))).to.deep.equal([P1]);
    now = at(5);
    expect([1n, 2n, 3n].map((scid) => [scid, index.nodeIdLookup(scid)])).to.deep.equal([
      [1n, P1],
      [2n, P2],
      [3n, undefined],
    ]);
    now = at(1000);
    expect([1n, 2n, 3n].map((scid) => index.nodeIdLookup(scid))).to.deep.equal([undefined, undefined, undefined]);
  });
});
