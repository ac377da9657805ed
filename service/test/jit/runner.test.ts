import { expect } from 'chai';
import type { NodeEvent } from '@jitlsp/engine/node';
import { initialState } from '../../src/jit/pure/machine.js';
import { MemoryMailboxStore, MemorySessionStore } from '../../src/lsps2/memory-store.js';
import type { NodePort } from '../../src/lsps2/node-port.js';
import type { JitChannelState, JitSession } from '../../src/lsps2/session.js';
import { JitRunner } from '../../src/jit/io/runner.js';
import { openFailureFromClosure } from '../../src/jit/pure/route.js';
import { CLIENT, makeTerms } from '../lsps2/fixtures.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const OTHER = '02' + '22'.repeat(32);
const HASH = 'aa'.repeat(32);
const CHAN = 'c0'.repeat(32);

function makeSession(
  scid: bigint,
  over: Partial<JitSession['terms']> = {},
  state: JitChannelState = initialState(),
): JitSession {
  return {
    terms: makeTerms(T0, { jitChannelScid: scid, userChannelId: 1000n + scid, ...over }),
    state,
    version: 0,
    updatedAt: T0,
  };
}

/** A NodePort that records calls and lets the test raise events. */
function fakeNode() {
  const calls: { m: string; args: unknown[] }[] = [];
  let handler: (ev: NodeEvent) => void = () => {};
  const peers = new Set<string>([CLIENT]);
  const channels: { userChannelId: bigint }[] = [];
  let openHook: () => Promise<void> | void = () => {};
  const node: NodePort = {
    nodeId: '03' + '00'.repeat(32),
    sendCustomMessage: (...args) => void calls.push({ m: 'sendCustomMessage', args }),
    getInterceptScid: () => 1n,
    openChannel: async (opts) => {
      calls.push({ m: 'openChannel', args: [opts] });
      await openHook();
      return { temporaryChannelId: 'tt'.repeat(32), userChannelId: opts.userChannelId! };
    },
    forwardInterceptedHtlc: (...args) => void calls.push({ m: 'forward', args }),
    failInterceptedHtlc: (...args) => void calls.push({ m: 'fail', args }),
    forwardOnionMessage: (...args) => void calls.push({ m: 'forwardOnion', args }),
    listChannels: () => channels as never,
    listPeers: () =>
      [...peers].map((nodeId) => ({ nodeId, inbound: true, initFeatures: new Uint8Array(0), supportsLsps0: false })),
    releaseFunding: async (txid) => {
      calls.push({ m: 'releaseFunding', args: [txid] });
      return true;
    },
    onEvent: (h) => {
      handler = h;
      return () => {
        handler = () => {};
      };
    },
  };
  return {
    node,
    calls,
    peers,
    channels,
    emit: (ev: NodeEvent) => handler(ev),
    onOpen: (f: () => Promise<void> | void) => (openHook = f),
    of: (m: string) => calls.filter((c) => c.m === m).map((c) => c.args),
  };
}

const intercept = (
  scid: bigint,
  id: string,
  amount: bigint,
  hash = HASH,
  cltvExpiry: number | null = null,
): NodeEvent => ({
  type: 'htlcIntercepted',
  interceptId: id,
  requestedNextHopScid: scid,
  paymentHash: hash,
  inboundAmountMsat: amount,
  expectedOutboundAmountMsat: amount,
  cltvExpiry,
});

/** Another writer changes session 5 in the store: it remembers a failed intercept 'z'. */
async function rememberFailureBehindTheRunner(store: MemorySessionStore): Promise<void> {
  const cur = (await store.get(5n))!;
  await store.update(
    5n,
    { ...cur.state, failed: [{ interceptId: 'z', reason: 'unknown_next_peer' }] },
    cur.version,
    T0,
  );
}

async function setup(sessions: JitSession[] = [makeSession(5n)]) {
  const store = new MemorySessionStore();
  const mailboxStore = new MemoryMailboxStore();
  for (const s of sessions) await store.create(s);
  const f = fakeNode();
  let now = T0;
  const shell = await JitRunner.start({ node: f.node, store, mailboxStore, clock: () => now, blockHeight: () => 1000 });
  return { store, mailboxStore, f, shell, setNow: (d: Date) => (now = d) };
}

describe('JIT runner (state machine against a fake node and the in-memory store)', () => {
  it('persists each state before acting: the open starts only once openingChannel is stored', async () => {
    const { store, f, shell } = await setup();
    let stateAtOpen: string | undefined;
    f.onOpen(async () => {
      stateAtOpen = (await store.get(5n))!.state.kind;
    });
    f.emit(intercept(5n, 'i1', 200_000_000n));
    f.emit(intercept(5n, 'i2', 300_000_000n));
    await shell.idle();
    expect(stateAtOpen).to.equal('openingChannel');
    // payment - fee, + 1% of it, + 10,000 sat: DEFAULT_JIT_POLICY over-provisioning
    expect(f.of('openChannel')[0]![0]).to.deep.include({
      peer: CLIENT,
      capacitySat: 490_000n + 4_900n + 10_000n,
      zeroConf: true,
      announce: false,
      userChannelId: 1005n,
    });
  });

  it('runs a whole MPP session: forwards with the fee skimmed on channel ready, done on payment forwarded', async () => {
    const { store, f, shell } = await setup();
    f.emit(intercept(5n, 'i1', 200_000_000n));
    f.emit(intercept(5n, 'i2', 300_000_000n));
    f.emit({
      type: 'channelPending',
      channelId: CHAN,
      userChannelId: 1005n,
      counterpartyNodeId: CLIENT,
      fundingTxid: 'ff'.repeat(32),
    });
    f.emit({ type: 'channelReady', channelId: CHAN, userChannelId: 1005n, counterpartyNodeId: CLIENT });
    await shell.idle();
    expect(f.of('forward')).to.deep.equal([
      ['i1', CHAN, CLIENT, 190_000_000n],
      ['i2', CHAN, CLIENT, 300_000_000n],
    ]);
    f.emit({
      type: 'paymentForwarded',
      nextChannelId: CHAN,
      nextUserChannelId: 1005n,
      skimmedFeeMsat: 10_000_000n,
      claimFromOnchainTx: false,
    });
    await shell.idle();
    expect((await store.get(5n))!.state).to.deep.include({ kind: 'done', collectedFeeMsat: 10_000_000n });
  });

  it('re-issues a lost channel open after a restart, unless the node already has that channel', async () => {
    const opening: JitChannelState = {
      kind: 'openingChannel',
      payingHash: HASH,
      feeMsat: 10_000_000n,
      capacitySat: 494_900n,
      fundingSigned: false,
      channelId: null,
      held: [{ interceptId: 'i1', paymentHash: HASH, amountMsat: 500_000_000n, cltvExpiry: null, receivedAt: T0 }],
      forwarded: [],
      failed: [],
    };
    const a = await setup([makeSession(5n, {}, opening)]);
    expect(a.f.of('openChannel')).to.have.length(1);
    const store = new MemorySessionStore();
    await store.create(makeSession(5n, {}, opening));
    const f = fakeNode();
    f.channels.push({ userChannelId: 1005n });
    const shell = await JitRunner.start({
      node: f.node,
      store,
      mailboxStore: new MemoryMailboxStore(),
      clock: () => T0,
    });
    await shell.idle();
    expect(f.of('openChannel')).to.deep.equal([]);
  });

  it('answers a replayed intercept after a restart with the same forward', async () => {
    const { store, f, shell } = await setup();
    f.emit(intercept(5n, 'i1', 500_000_000n));
    f.emit({ type: 'channelReady', channelId: CHAN, userChannelId: 1005n, counterpartyNodeId: CLIENT });
    await shell.idle();
    shell.stop();
    const f2 = fakeNode();
    const shell2 = await JitRunner.start({
      node: f2.node,
      store,
      mailboxStore: new MemoryMailboxStore(),
      clock: () => T0,
    });
    // The start itself re-issues the persisted forward (the process may have died before the node ran it)...
    expect(f2.of('forward')).to.deep.equal([['i1', CHAN, CLIENT, 490_000_000n]]);
    f2.emit(intercept(5n, 'i1', 500_000_000n));
    await shell2.idle();
    // ...and a replayed intercept gets the very same forward (the node refuses whichever comes second).
    expect(f2.of('forward')).to.deep.equal([
      ['i1', CHAN, CLIENT, 490_000_000n],
      ['i1', CHAN, CLIENT, 490_000_000n],
    ]);
    expect(f2.of('openChannel')).to.deep.equal([]);
  });

  it('fails an HTLC to an intercept SCID it does not know instead of leaving it stuck', async () => {
    const { f, shell } = await setup();
    f.emit(intercept(99n, 'x1', 1_000n));
    await shell.idle();
    expect(f.of('fail')).to.deep.equal([['x1']]);
  });

  it('fails the held parts when the node refuses to open the channel, and releases the payment hash', async () => {
    const { store, f, shell } = await setup();
    f.onOpen(() => {
      throw new Error('insufficient funds');
    });
    f.emit(intercept(5n, 'i1', 500_000_000n));
    await shell.idle();
    expect(f.of('fail')).to.deep.equal([['i1']]);
    expect((await store.get(5n))!.state.kind).to.equal('awaitingPayment');
    expect(await store.reserveFundingHash(HASH, 6n)).to.equal(true);
  });

  it('never lets one payment hash fund two channels', async () => {
    const { f, shell } = await setup([makeSession(5n), makeSession(6n)]);
    f.emit(intercept(5n, 'a1', 500_000_000n));
    await shell.idle();
    f.emit(intercept(6n, 'b1', 500_000_000n));
    await shell.idle();
    expect(f.of('openChannel')).to.have.length(1);
    expect(f.of('fail')).to.deep.equal([['b1']]);
  });

  it('maps the client rejecting or abandoning the open to the bLIP-52 failure cases', async () => {
    expect(openFailureFromClosure('counterparty force-closed with message: no thanks')).to.equal('client_rejected');
    expect(openFailureFromClosure('the peer disconnected prior to the channel being funded')).to.equal(
      'client_disconnected',
    );
    expect(openFailureFromClosure('processing error: x')).to.equal('lsp_error');
    const { store, f, shell } = await setup();
    f.emit(intercept(5n, 'i1', 500_000_000n));
    f.emit({
      type: 'channelClosed',
      channelId: CHAN,
      userChannelId: 1005n,
      counterpartyNodeId: CLIENT,
      reason: 'counterparty force-closed with message: no',
    });
    await shell.idle();
    expect(f.of('fail')).to.deep.equal([['i1']]);
    expect((await store.get(5n))!.state.failed).to.deep.equal([{ interceptId: 'i1', reason: 'unknown_next_peer' }]);
  });

  it('credits a forward that LDK sent over another JIT channel of the same client to the session waiting for it', async () => {
    const { store, f, shell } = await setup([makeSession(5n), makeSession(6n)]);
    f.emit(intercept(5n, 'a1', 500_000_000n, 'a1'.repeat(32)));
    f.emit({ type: 'channelReady', channelId: CHAN, userChannelId: 1005n, counterpartyNodeId: CLIENT });
    f.emit({
      type: 'paymentForwarded',
      nextChannelId: CHAN,
      nextUserChannelId: 1005n,
      skimmedFeeMsat: 10_000_000n,
      outboundAmountForwardedMsat: 490_000_000n,
      claimFromOnchainTx: false,
    });
    f.emit(intercept(6n, 'b1', 500_000_000n, 'b1'.repeat(32)));
    f.emit({ type: 'channelReady', channelId: 'c1'.repeat(32), userChannelId: 1006n, counterpartyNodeId: CLIENT });
    // Non-strict forwarding: LDK used the first channel for session 6's HTLC.
    f.emit({
      type: 'paymentForwarded',
      nextChannelId: CHAN,
      nextUserChannelId: 1005n,
      skimmedFeeMsat: 10_000_000n,
      outboundAmountForwardedMsat: 490_000_000n,
      claimFromOnchainTx: false,
    });
    await shell.idle();
    expect((await store.get(6n))!.state.kind).to.equal('done');
  });

  it('reloads a session another writer changed instead of acting on a stale state', async () => {
    const { store, f, shell } = await setup();
    f.emit(intercept(5n, 'i0', 100_000_000n)); // a first part: the session is now held in memory
    await shell.idle();
    await rememberFailureBehindTheRunner(store);
    f.emit(intercept(5n, 'i1', 400_000_000n));
    await shell.idle();
    expect(f.of('openChannel')).to.deep.equal([]);
    f.emit(intercept(5n, 'i1', 400_000_000n)); // LDK replays it: now it goes through
    await shell.idle();
    expect(f.of('openChannel')).to.have.length(1);
  });

  it('reads an idle session (nothing held) from the store when an HTLC arrives, so it acts on the stored state', async () => {
    const { store, f, shell } = await setup();
    await rememberFailureBehindTheRunner(store);
    f.emit(intercept(5n, 'i1', 500_000_000n));
    await shell.idle();
    expect(f.of('openChannel')).to.have.length(1);
    expect((await store.get(5n))!.state.failed).to.deep.equal([{ interceptId: 'z', reason: 'unknown_next_peer' }]);
  });

  it('runs the collect timer on tick', async () => {
    const { f, shell, setNow } = await setup();
    f.emit(intercept(5n, 'i1', 100_000_000n));
    await shell.idle();
    setNow(new Date(T0.getTime() + 90_000));
    await shell.tick();
    expect(f.of('fail')).to.deep.equal([['i1']]);
  });

  it('closes on tick exactly the idle sessions whose valid_until passed, those sold since included, and no others', async () => {
    const validFor = (ms: number) => ({ ...makeSession(0n).terms.feeParams, validUntil: new Date(T0.getTime() + ms) });
    const { store, shell, setNow } = await setup([
      makeSession(5n, { feeParams: validFor(10_000) }),
      makeSession(6n, { feeParams: validFor(30_000) }),
    ]);
    const sold = makeSession(7n, { feeParams: validFor(20_000) });
    await store.create(sold);
    shell.sessionCreated(sold);
    const kinds = async () => Promise.all([5n, 6n, 7n].map(async (k) => (await store.get(k))!.state.kind));
    await shell.tick();
    expect(await kinds()).to.deep.equal(['awaitingPayment', 'awaitingPayment', 'awaitingPayment']);
    setNow(new Date(T0.getTime() + 20_000));
    await shell.tick();
    expect(await kinds()).to.deep.equal(['closed', 'awaitingPayment', 'closed']);
    expect(shell.index.openScids()).to.deep.equal([6n]);
    setNow(new Date(T0.getTime() + 30_000));
    await shell.tick();
    expect(await kinds()).to.deep.equal(['closed', 'closed', 'closed']);
    expect(shell.index.openScids()).to.deep.equal([]);
  });

  it('fails a held part on tick once the CLTV expiry the node reported is within the safety margin (height 1000)', async () => {
    const { f, shell, store } = await setup();
    f.emit(intercept(5n, 'far', 100_000_000n, HASH, 1025)); // 25 blocks left: above the 24-block margin
    f.emit(intercept(5n, 'near', 100_000_000n, 'bb'.repeat(32), 1024)); // 24 blocks left: within it
    await shell.idle();
    await shell.tick();
    expect(f.of('fail')).to.deep.equal([['near']]);
    const held = (await store.get(5n))!.state.held.map((h) => [h.interceptId, h.cltvExpiry]);
    expect(held).to.deep.equal([['far', 1025]]);
  });

  it('holds onion messages for an offline registered client, persists them, and delivers them in order', async () => {
    const { mailboxStore, f, shell } = await setup();
    shell.sessionCreated(makeSession(7n));
    f.emit({ type: 'onionMessageIntercepted', peerNodeId: CLIENT, message: new Uint8Array([1]) });
    f.emit({ type: 'onionMessageIntercepted', peerNodeId: CLIENT, message: new Uint8Array([2]) });
    f.emit({ type: 'onionMessageIntercepted', peerNodeId: CLIENT, message: new Uint8Array([1]) });
    f.emit({ type: 'onionMessageIntercepted', peerNodeId: OTHER, message: new Uint8Array([3]) });
    await shell.idle();
    expect((await mailboxStore.loadAll()).map((m) => m.message[0])).to.deep.equal([1, 2]);
    // A restart loses nothing.
    shell.stop();
    const f2 = fakeNode();
    const shell2 = await JitRunner.start({
      node: f2.node,
      store: new MemorySessionStore(),
      mailboxStore,
      clock: () => T0,
    });
    f2.emit({ type: 'onionMessagePeerConnected', peerNodeId: CLIENT });
    await shell2.idle();
    expect(f2.of('forwardOnion').map(([m, p]) => [(m as Uint8Array)[0], p])).to.deep.equal([
      [1, CLIENT],
      [2, CLIENT],
    ]);
    expect(await mailboxStore.loadAll()).to.deep.equal([]);
  });

  it('resolves a live JIT SCID to its client for onion messages, and withholds funding for client_trusts_lsp', async () => {
    const { shell } = await setup([makeSession(5n), makeSession(8n, { clientTrustsLsp: true })]);
    expect(shell.index.nodeIdLookup(5n)).to.equal(CLIENT);
    expect(shell.index.nodeIdLookup(77n)).to.equal(undefined);
    expect(shell.index.holdFunding({ userChannelId: 1008n })).to.equal(true);
    expect(shell.index.holdFunding({ userChannelId: 1005n })).to.equal(false);
  });

  it("counts the live sessions of one peer from memory: sessions created later count, expired and other peers' do not", async () => {
    const expired = makeSession(6n, { feeParams: { ...makeSession(6n).terms.feeParams, validUntil: T0 } });
    const { shell } = await setup([makeSession(5n), expired, makeSession(9n, { clientNodeId: OTHER })]);
    expect(shell.index.liveSessionCount(CLIENT, T0)).to.equal(1);
    shell.sessionCreated(makeSession(7n));
    expect(shell.index.liveSessionCount(CLIENT, T0)).to.equal(2);
    expect(shell.index.liveSessionCount(OTHER, T0)).to.equal(1);
    expect(shell.index.liveSessionCount(CLIENT, new Date(T0.getTime() + 3_600_000))).to.equal(0);
    expect(shell.index.isRegistered(CLIENT)).to.equal(true);
  });

  it('releases a withheld funding transaction once the fee is collected', async () => {
    const { f, shell } = await setup([makeSession(8n, { clientTrustsLsp: true })]);
    f.emit(intercept(8n, 'i1', 500_000_000n));
    f.emit({
      type: 'fundingHeld',
      txid: 'ab'.repeat(32),
      counterpartyNodeId: CLIENT,
      userChannelId: 1008n,
      temporaryChannelId: 'tt',
    });
    f.emit({ type: 'channelReady', channelId: CHAN, userChannelId: 1008n, counterpartyNodeId: CLIENT });
    await shell.idle();
    expect(f.of('releaseFunding')).to.deep.equal([]);
    f.emit({ type: 'paymentForwarded', nextChannelId: CHAN, skimmedFeeMsat: 10_000_000n, claimFromOnchainTx: false });
    await shell.idle();
    expect(f.of('releaseFunding')).to.deep.equal([['ab'.repeat(32)]]);
  });
});
