import { expect } from 'chai';
import type { NodeEvent } from '@jitlsp/engine/node';
import { SessionIndex, SessionIndexCollisionError } from '../../src/jit/memory/session-index.js';
import { DEFAULT_JIT_POLICY, initialState, step, type JitEnv } from '../../src/jit/pure/machine.js';
import { route, type RouteView, type Routing } from '../../src/jit/pure/route.js';
import { MemorySessionStore } from '../../src/lsps2/memory-store.js';
import type { ForwardedHtlc, HeldHtlc, JitChannelState, JitSession } from '../../src/lsps2/session.js';
import { CLIENT, makeTerms } from '../lsps2/fixtures.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const OTHER = '02' + '22'.repeat(32);
const hash = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
const chan = (n: number) => ('c' + n.toString(16)).repeat(32);

const held = (id: string, paymentHash = hash(1)): HeldHtlc => ({
  interceptId: id,
  paymentHash,
  amountMsat: 500_000_000n,
  cltvExpiry: null,
  receivedAt: T0,
});
const forwarded = (id: string, paymentHash: string, forwardMsat: bigint, skimMsat: bigint): ForwardedHtlc => ({
  interceptId: id,
  paymentHash,
  amountMsat: forwardMsat + skimMsat,
  forwardMsat,
  skimMsat,
});
const ledger = { held: [] as HeldHtlc[], forwarded: [] as ForwardedHtlc[], failed: [] };

/** One state of each kind the index keeps (a closed session leaves it); channel `chan(scid)` where it has one. */
function stateOf(kind: JitChannelState['kind'], scid: bigint, over: Partial<JitChannelState> = {}): JitChannelState {
  const channelId = chan(Number(scid));
  const payingHash = hash(Number(scid));
  const base = { ...ledger, ...over } as typeof ledger;
  switch (kind) {
    case 'awaitingPayment':
      return { kind, ...base };
    case 'openingChannel':
      return {
        kind,
        payingHash,
        feeMsat: 10_000_000n,
        capacitySat: 494_900n,
        fundingSigned: false,
        channelId: null,
        ...base,
        held: base.held.length > 0 ? base.held : [held('i' + scid, payingHash)],
      };
    case 'awaitingForward':
      return { kind, channelId, payingHash, feeMsat: 10_000_000n, collectedFeeMsat: 0n, failedForwards: 0, ...base };
    case 'channelOpen':
      return { kind, channelId, feeMsat: 10_000_000n, ...base };
    case 'done':
      return { kind, channelId, feeMsat: 10_000_000n, collectedFeeMsat: 10_000_000n, fundingReleased: false, ...base };
    case 'closed':
      return { kind, outcome: 'paid', channelId, collectedFeeMsat: 10_000_000n, ...base };
  }
}

function session(scid: bigint, state: JitChannelState = initialState(), client = CLIENT): JitSession {
  return {
    terms: makeTerms(T0, { jitChannelScid: scid, userChannelId: 1000n + scid, clientNodeId: client }),
    state,
    version: 0,
    updatedAt: T0,
  };
}

/** The index over `sessions`, and the node's channel list as `channels` (channel id -> counterparty). */
function view(sessions: JitSession[], channels: Record<string, string> = {}): RouteView {
  const index = new SessionIndex(() => T0);
  for (const s of sessions) index.put(s);
  return { sessions: index, counterpartyOf: (id) => channels[id] };
}

const scids = (r: Routing) => r.sessions.map((d) => d.scid);

const intercept = (scid: bigint, over: Partial<NodeEvent & { type: 'htlcIntercepted' }> = {}): NodeEvent => ({
  type: 'htlcIntercepted',
  interceptId: 'x1',
  requestedNextHopScid: scid,
  paymentHash: hash(9),
  inboundAmountMsat: 500_100_000n,
  expectedOutboundAmountMsat: 500_000_000n,
  cltvExpiry: 1200,
  ...over,
});

const forwardedOver = (channelId: string | undefined, forwardMsat: bigint, skimMsat: bigint): NodeEvent => ({
  type: 'paymentForwarded',
  nextChannelId: channelId,
  skimmedFeeMsat: skimMsat,
  outboundAmountForwardedMsat: forwardMsat,
  claimFromOnchainTx: false,
});

describe('JIT routing of node events to sessions (pure, no node)', () => {
  describe('an intercepted HTLC', () => {
    it('goes to the open session its SCID names, as the onion asks to forward it', () => {
      const r = route(intercept(5n), view([session(5n)]));
      expect(r).to.deep.equal({
        sessions: [
          {
            scid: 5n,
            input: {
              kind: 'htlcIntercepted',
              htlc: { interceptId: 'x1', paymentHash: hash(9), amountMsat: 500_000_000n, cltvExpiry: 1200 },
            },
          },
        ],
      });
    });

    it('to a SCID no open session has, goes to the stored session if any, else is failed with unknown_next_peer', () => {
      const r = route(intercept(99n), view([session(5n)]));
      expect(scids(r)).to.deep.equal([99n]);
      expect(r.sessions[0]!.ifUnknown).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'x1', reason: 'unknown_next_peer' },
      ]);
    });
  });

  describe('a forwarded payment, among several sessions of one client', () => {
    // Session 5's channel carried the forward (LDK forwards over any channel to the client); 5 is done, 6 and 7
    // wait for their paying sets, 8 is another client's.
    const sessions = [
      session(5n, stateOf('done', 5n)),
      session(6n, stateOf('awaitingForward', 6n, { forwarded: [forwarded('b1', hash(6), 290_000_000n, 10_000_000n)] })),
      session(7n, stateOf('awaitingForward', 7n, { forwarded: [forwarded('c1', hash(7), 490_000_000n, 10_000_000n)] })),
      session(
        8n,
        stateOf('awaitingForward', 8n, { forwarded: [forwarded('d1', hash(8), 490_000_000n, 20_000_000n)] }),
        OTHER,
      ),
    ];
    const rows: { name: string; ev: NodeEvent; channels?: Record<string, string>; only?: bigint[]; to: bigint[] }[] = [
      {
        name: 'the session whose paying part matches the amounts',
        ev: forwardedOver(chan(5), 490_000_000n, 10_000_000n),
        to: [7n],
      },
      {
        name: 'the other session when its part matches',
        ev: forwardedOver(chan(5), 290_000_000n, 10_000_000n),
        to: [6n],
      },
      {
        name: "the channel's own session when no part matches and several wait",
        ev: forwardedOver(chan(5), 1n, 0n),
        to: [5n],
      },
      {
        name: 'the only waiting session when no part matches',
        ev: forwardedOver(chan(5), 1n, 0n),
        only: [5n, 6n],
        to: [6n],
      },
      {
        name: "a session of the channel's counterparty when the index does not know the channel",
        ev: forwardedOver(chan(15), 490_000_000n, 20_000_000n),
        channels: { [chan(15)]: OTHER },
        to: [8n],
      },
      {
        name: 'nobody when neither the channel nor its counterparty is known',
        ev: forwardedOver(chan(15), 1n, 0n),
        to: [],
      },
      {
        name: 'the awaiting-forward session of the channel itself, whatever the amounts',
        ev: forwardedOver(chan(6), 490_000_000n, 10_000_000n),
        to: [6n],
      },
    ];
    for (const row of rows) {
      it(`goes to ${row.name}`, () => {
        const some = sessions.filter((s) => !row.only || row.only.includes(s.terms.jitChannelScid));
        const r = route(row.ev, view(some, row.channels));
        expect(scids(r)).to.deep.equal(row.to);
        for (const d of r.sessions)
          expect(d.input).to.deep.equal({
            kind: 'paymentForwarded',
            skimmedFeeMsat: (row.ev as { skimmedFeeMsat: bigint }).skimmedFeeMsat,
          });
      });
    }

    it('routes a forward failed back by the client the same way, and ignores failures towards other destinations', () => {
      const failed = (d: Extract<NodeEvent, { type: 'htlcHandlingFailed' }>['failedNextDestination']): NodeEvent => ({
        type: 'htlcHandlingFailed',
        prevChannelId: chan(1),
        failedNextDestination: d,
      });
      const v = view(sessions.filter((s) => s.terms.jitChannelScid !== 7n));
      const r = route(failed({ kind: 'next-hop-channel', channelId: chan(5) }), v);
      expect(r.sessions).to.deep.equal([{ scid: 6n, input: { kind: 'htlcHandlingFailed' } }]);
      expect(route(failed({ kind: 'unknown-next-hop', requestedForwardScid: 5n }), v)).to.deep.equal({
        sessions: [],
      });
    });
  });

  describe('a channel event', () => {
    it('goes to the session of its user channel id, and to nobody for a channel the LSP opened for no session', () => {
      const v = view([session(5n, stateOf('openingChannel', 5n))]);
      const pending: NodeEvent = {
        type: 'channelPending',
        channelId: chan(5),
        userChannelId: 1005n,
        counterpartyNodeId: CLIENT,
        fundingTxid: 'ff'.repeat(32),
      };
      expect(route(pending, v).sessions).to.deep.equal([
        { scid: 5n, input: { kind: 'channelPending', channelId: chan(5) } },
      ]);
      const ready: NodeEvent = {
        type: 'channelReady',
        channelId: chan(5),
        userChannelId: 1005n,
        counterpartyNodeId: CLIENT,
      };
      expect(route(ready, v).sessions).to.deep.equal([
        { scid: 5n, input: { kind: 'channelReady', channelId: chan(5) } },
      ]);
      expect(route({ ...ready, userChannelId: 42n }, v)).to.deep.equal({ sessions: [] });
    });
  });

  describe('a channel closed, in each state, with each close reason', () => {
    const reasons = [
      { text: 'counterparty force-closed with message: no thanks', reason: 'client_rejected' },
      { text: 'the peer disconnected prior to the channel being funded', reason: 'client_disconnected' },
      { text: 'processing error: insufficient funds', reason: 'lsp_error' },
    ] as const;
    // What the machine makes of it: the resulting state kind and the codes the held part is failed with.
    const expected: Record<string, Record<(typeof reasons)[number]['reason'], [string, string[]]>> = {
      // bLIP-52 §5: the client rejecting the open -> unknown_next_peer; disconnecting or an LSP failure ->
      // temporary_channel_failure; either way the session waits for payment again.
      openingChannel: {
        client_rejected: ['awaitingPayment', ['unknown_next_peer']],
        client_disconnected: ['awaitingPayment', ['temporary_channel_failure']],
        lsp_error: ['awaitingPayment', ['temporary_channel_failure']],
      },
      awaitingPayment: {
        client_rejected: ['awaitingPayment', []],
        client_disconnected: ['awaitingPayment', []],
        lsp_error: ['awaitingPayment', []],
      },
      awaitingForward: {
        client_rejected: ['closed', ['unknown_next_peer']],
        client_disconnected: ['closed', ['unknown_next_peer']],
        lsp_error: ['closed', ['unknown_next_peer']],
      },
      channelOpen: {
        client_rejected: ['closed', ['unknown_next_peer']],
        client_disconnected: ['closed', ['unknown_next_peer']],
        lsp_error: ['closed', ['unknown_next_peer']],
      },
      done: {
        client_rejected: ['closed', ['unknown_next_peer']],
        client_disconnected: ['closed', ['unknown_next_peer']],
        lsp_error: ['closed', ['unknown_next_peer']],
      },
    };
    const env: JitEnv = { now: T0, blockHeight: 1000, clientConnected: true };
    for (const [kind, byReason] of Object.entries(expected)) {
      for (const { text, reason } of reasons) {
        it(`${kind}, "${text}": the session gets channelClosed(${reason}) and ends ${byReason[reason][0]}`, () => {
          const k = kind as JitChannelState['kind'];
          // A held part of another payment, so that what becomes of held parts shows.
          const extra = k === 'openingChannel' ? {} : { held: [held('h9', hash(9))] };
          const s = session(5n, stateOf(k, 5n, extra));
          const ev: NodeEvent = { type: 'channelClosed', channelId: chan(5), userChannelId: 1005n, reason: text };
          const r = route(ev, view([s]));
          expect(r.sessions).to.deep.equal([{ scid: 5n, input: { kind: 'channelClosed', reason } }]);
          const t = step({ terms: s.terms, policy: DEFAULT_JIT_POLICY }, s.state, r.sessions[0]!.input, env);
          const [endKind, codes] = byReason[reason];
          expect(t.state.kind).to.equal(endKind);
          expect(t.actions.flatMap((a) => (a.kind === 'failHtlc' ? [a.reason] : []))).to.deep.equal(codes);
        });
      }
    }

    it('finds the session by channel id when the user channel id is not one of its sessions', () => {
      const ev: NodeEvent = { type: 'channelClosed', channelId: chan(5), userChannelId: 7n, reason: 'x' };
      expect(scids(route(ev, view([session(5n, stateOf('channelOpen', 5n))])))).to.deep.equal([5n]);
    });
  });

  describe('peer and onion-message events', () => {
    const sessions = [
      session(5n, stateOf('awaitingForward', 5n)),
      session(6n), // idle: nothing a peer event could change
      session(7n, stateOf('openingChannel', 7n)),
      session(8n, stateOf('channelOpen', 8n), OTHER),
    ];

    it("fans a client's connection and disconnection out to its sessions with something in flight", () => {
      const v = view(sessions);
      const on = route({ type: 'peerConnected', peerNodeId: CLIENT, inbound: true }, v);
      expect(on.sessions).to.deep.equal([
        { scid: 5n, input: { kind: 'clientConnected' } },
        { scid: 7n, input: { kind: 'clientConnected' } },
      ]);
      const off = route({ type: 'peerDisconnected', peerNodeId: CLIENT }, v);
      expect(off.sessions.map((d) => [d.scid, d.input.kind])).to.deep.equal([
        [5n, 'clientDisconnected'],
        [7n, 'clientDisconnected'],
      ]);
    });

    it('hands onion messages to the mailbox, marked with whether their peer has a live session', () => {
      const v = view(sessions);
      const message = new Uint8Array([1]);
      expect(route({ type: 'onionMessageIntercepted', peerNodeId: CLIENT, message }, v)).to.deep.equal({
        sessions: [],
        mailbox: { kind: 'messageIntercepted', peerNodeId: CLIENT, message, registered: true },
      });
      const stranger = '02' + '33'.repeat(32);
      expect(route({ type: 'onionMessageIntercepted', peerNodeId: stranger, message }, v).mailbox).to.deep.include({
        registered: false,
      });
      expect(route({ type: 'onionMessagePeerConnected', peerNodeId: CLIENT }, v)).to.deep.equal({
        sessions: [],
        mailbox: { kind: 'peerConnected', peerNodeId: CLIENT },
      });
    });

    it('notes a withheld funding transaction for the session index, and routes events of no concern nowhere', () => {
      const ev: NodeEvent = {
        type: 'fundingHeld',
        txid: 'ab'.repeat(32),
        counterpartyNodeId: CLIENT,
        userChannelId: 1005n,
        temporaryChannelId: 'tt',
      };
      expect(route(ev, view(sessions))).to.deep.equal({
        sessions: [],
        fundingHeld: { userChannelId: 1005n, txid: 'ab'.repeat(32) },
      });
      const claimed: NodeEvent = {
        type: 'paymentClaimed',
        paymentHash: hash(1),
        amountMsat: 1n,
        purpose: 'bolt11',
      };
      expect(route(claimed, view(sessions))).to.deep.equal({ sessions: [] });
    });
  });
});

describe('JIT session index', () => {
  it('refuses to load two open sessions sharing a user channel id (events could not tell them apart)', async () => {
    const store = new MemorySessionStore();
    await store.create(session(5n));
    const twin = session(6n);
    await store.create({ ...twin, terms: { ...twin.terms, userChannelId: 1005n } });
    let error: unknown;
    await SessionIndex.load(store).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(SessionIndexCollisionError);
    expect(String(error)).to.contain('user channel id 1005');
  });

  it('answers the node hooks from what it loaded, before any runner exists', async () => {
    const store = new MemorySessionStore();
    await store.create(session(5n));
    const trusting = session(8n);
    await store.create({ ...trusting, terms: { ...trusting.terms, clientTrustsLsp: true } });
    const index = await SessionIndex.load(store, () => T0);
    expect(index.nodeIdLookup(5n)).to.equal(CLIENT);
    expect(index.nodeIdLookup(77n)).to.equal(undefined);
    expect(index.holdFunding({ userChannelId: 1008n })).to.equal(true);
    expect(index.holdFunding({ userChannelId: 1005n })).to.equal(false);
  });
});
