/**
 * BOLT 12 receive through the real LSP daemon: payer P -> LSP daemon L -> wallet (JitWallet), real LDK nodes
 * over TCP on loopback, SQLite. Each test reads as the steps a user would see.
 */
import { expect } from 'chai';
import type { JitWallet } from '@jitlsp/client';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import { FEE_MIN_MSAT, FEE_PPM, type Harness, startHarness } from './harness.js';

async function pay(h: Harness, wallet: JitWallet, offer: string, amountMsat: bigint) {
  const claimable = wallet.node.waitFor('paymentClaimable', undefined, 120_000);
  const claimed = wallet.node.waitFor('paymentClaimed', undefined, 120_000);
  const sent = h.payer.waitFor('paymentSent', undefined, 120_000);
  const paymentId = h.payer.payOffer(offer, amountMsat);
  const c = await claimable;
  const s = await sent;
  await claimed;
  expect(s.paymentId).to.equal(paymentId);
  return { claimable: c, sent: s };
}

describe('end to end: BOLT 12 JIT channels through the LSP daemon', function () {
  this.timeout(300_000);
  let h: Harness;
  let alice: JitWallet;
  let offer: string;

  before(async () => {
    h = await startHarness();
    alice = await h.startWallet('alice');
  });
  after(async () => {
    await h?.stop();
  });

  it('1. the wallet gets an offer through the LSP in one call', async () => {
    const r = await alice.receiveViaLsp({ lsp: h.daemon.nodeAddress!, description: 'coffee' });
    offer = r.offer;
    expect(offer).to.match(/^lno1/);
    expect(r.feeParams).to.deep.include({ minFeeMsat: FEE_MIN_MSAT, proportional: FEE_PPM });
    // bLIP-50: the LSP daemon advertises feature bit 729; the wallet does not.
    expect(alice.node.listPeers().find((p) => p.nodeId === h.daemon.node.nodeId)!.supportsLsps0).to.equal(true);
    expect(h.daemon.node.listPeers().find((p) => p.nodeId === alice.node.nodeId)!.supportsLsps0).to.equal(false);
  });

  it('2. a first payment opens a zero-conf channel; what the wallet claims plus the skimmed fee is what the payer sent', async () => {
    const amount = 50_000_000n;
    const { claimable, sent } = await pay(h, alice, offer, amount);
    expect(claimable.counterpartySkimmedFeeMsat).to.equal(computeOpeningFee(amount, FEE_MIN_MSAT, FEE_PPM));
    expect(claimable.amountMsat + claimable.counterpartySkimmedFeeMsat).to.equal(amount);
    expect(sent.feePaidMsat ?? 0n).to.equal(0n);
    const channels = alice.node.listChannels().filter((c) => c.counterpartyNodeId === h.daemon.node.nodeId);
    expect(channels).to.have.length(1);
    // bLIP-52: the JIT channel is unannounced with the option_scid_alias channel type.
    expect(channels[0]).to.deep.include({ scidPrivacy: true, isAnnounced: false });
  });

  it('3. a second payment goes over the same channel without a fee', async () => {
    const { claimable } = await pay(h, alice, offer, 20_000_000n);
    expect(claimable.amountMsat).to.equal(20_000_000n);
    expect(claimable.counterpartySkimmedFeeMsat).to.equal(0n);
    expect(alice.node.listChannels()).to.have.length(1);
  });

  it('4. a payment to an offer not registered with the router uses ordinary paths', async () => {
    const plain = alice.node.createOffer();
    const { claimable } = await pay(h, alice, plain.offer, 5_000_000n);
    expect(claimable.amountMsat).to.equal(5_000_000n);
    expect(claimable.counterpartySkimmedFeeMsat).to.equal(0n);
  });

  it('5. with the wallet offline, the LSP holds the invoice_request and delivers it on reconnect; the payment completes', async () => {
    const gone = h.daemon.node.waitFor('peerDisconnected', (e) => e.peerNodeId === alice.node.nodeId);
    alice.node.disconnect(h.daemon.node.nodeId);
    await gone;
    const held = h.daemon.node.waitFor('onionMessageIntercepted', (e) => e.peerNodeId === alice.node.nodeId, 30_000);
    const claimable = alice.node.waitFor('paymentClaimable', undefined, 120_000);
    const sent = h.payer.waitFor('paymentSent', undefined, 120_000);
    h.payer.payOffer(offer, 3_000_000n);
    await held;
    await alice.node.connect(h.daemon.nodeAddress!);
    expect((await claimable).amountMsat).to.equal(3_000_000n);
    await sent;
  });

  it('6. a fixed amount in MPP mode: a lease bought for that amount carries the first payment', async () => {
    const bob = await h.startWallet('bob');
    const r = await bob.receiveViaLsp({ lsp: h.daemon.nodeAddress!, policy: { poolSize: 0 } });
    const amount = 30_000_000n;
    const lease = await bob.leases.buyMppLease(h.daemon.node.nodeId, amount);
    expect(lease.mode).to.equal('mpp');
    const { claimable } = await pay(h, bob, r.offer, amount);
    expect(claimable.amountMsat + claimable.counterpartySkimmedFeeMsat).to.equal(amount);
    expect(claimable.counterpartySkimmedFeeMsat).to.equal(computeOpeningFee(amount, FEE_MIN_MSAT, FEE_PPM));
    const used = bob.router.leases().find((l) => l.interceptScid === lease.interceptScid);
    expect(used?.assignment?.amountMsat).to.equal(amount);
  });

  it('7. an expired lease is renewed by a new buy and the next payment still works', async () => {
    const carol = await h.startWallet('carol');
    const r = await carol.receiveViaLsp({ lsp: h.daemon.nodeAddress!, policy: { poolSize: 1 } });
    await carol.leases.idle();
    const before = carol.router.leases().map((l) => l.interceptScid);
    // Past every lease's valid_until (the daemon's params are valid for an hour).
    h.advance(2 * 3600_000);
    await carol.leases.maintain();
    await carol.leases.idle();
    const after = carol.router.leases();
    expect(after.length).to.be.greaterThan(0);
    expect(after.every((l) => !before.includes(l.interceptScid))).to.equal(true);
    const amount = 40_000_000n;
    const { claimable } = await pay(h, carol, r.offer, amount);
    expect(claimable.amountMsat + claimable.counterpartySkimmedFeeMsat).to.equal(amount);
  });
});
