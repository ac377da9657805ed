/**
 * The engine's LSP-facing knobs against real LDK nodes over TCP: feature bit 729 (bLIP-50), the
 * `option_scid_alias` channel type and the bound on the peer's `to_self_delay` (bLIP-52 "the LSP and client MUST
 * negotiate ... option_scid_alias ... to_self_delay <= max_client_to_self_delay").
 */
import { expect } from 'chai';
import type { LightningNode } from '../../src/node/index.js';
import { hasFeaturePair } from '../../src/node/custom-messages.js';
import type { TestNet } from '../../src/testing/index.js';
import { testNet } from './support.js';

describe('engine: LSP channel options (feature 729, option_scid_alias, to_self_delay bound)', function () {
  this.timeout(60_000);
  let net: TestNet;
  let lsp: LightningNode;
  let client: LightningNode;
  /** A client asking the LSP to wait 500 blocks before it can sweep its funds (BOLT 2 to_self_delay). */
  let slowClient: LightningNode;

  before(async () => {
    net = await testNet();
    lsp = await net.start('lsp', { advertiseLsps0: true });
    client = await net.start('client', { inboundChannels: { manualAccept: true, trustedZeroConfPeers: [lsp.nodeId] } });
    slowClient = await net.start('slow', {
      inboundChannels: { manualAccept: true, trustedZeroConfPeers: [lsp.nodeId] },
      ourToSelfDelay: 500,
    });
    await client.connect(lsp.address!);
    await slowClient.connect(lsp.address!);
  });

  after(() => net?.close());

  it('lets a client see feature bit 729 in the LSP init features, and the LSP not see it on the client', () => {
    const lspSeenByClient = client.listPeers().find((p) => p.nodeId === lsp.nodeId)!;
    expect(lspSeenByClient.supportsLsps0).to.equal(true);
    // 729 is odd: the optional form (bLIP-50), byte 91 from the end, bit 1.
    const f = lspSeenByClient.initFeatures;
    expect((f[f.length - 1 - 91]! >> 1) & 1).to.equal(1);
    expect((f[f.length - 1 - 91]! >> 0) & 1).to.equal(0);
    const clientSeenByLsp = lsp.listPeers().find((p) => p.nodeId === client.nodeId)!;
    expect(clientSeenByLsp.supportsLsps0).to.equal(false);
    expect(hasFeaturePair(clientSeenByLsp.initFeatures, 729)).to.equal(false);
  });

  it('reads feature pairs from big-endian bytes (either bit of the pair counts, nothing beyond the field)', () => {
    const f = new Uint8Array(92);
    expect(hasFeaturePair(f, 729)).to.equal(false);
    f[0] = 0b01; // bit 728
    expect(hasFeaturePair(f, 729)).to.equal(true);
    expect(hasFeaturePair(new Uint8Array([0x80]), 7)).to.equal(true);
    expect(hasFeaturePair(new Uint8Array([0x80]), 729)).to.equal(false);
  });

  it('opens a zero-conf unannounced channel with the option_scid_alias channel type on both sides when asked', async () => {
    const readyL = lsp.waitFor('channelReady', (e) => e.userChannelId === 701n);
    const readyC = client.waitFor('channelReady', (e) => e.counterpartyNodeId === lsp.nodeId);
    await lsp.openChannel({
      peer: client.nodeId,
      capacitySat: 500_000n,
      zeroConf: true,
      scidAlias: true,
      maxPeerToSelfDelay: 2016,
      userChannelId: 701n,
    });
    await readyL;
    await readyC;
    const l = lsp.listChannels().find((c) => c.userChannelId === 701n)!;
    expect(l).to.deep.include({ scidPrivacy: true, isAnnounced: false, isUsable: true });
    const c = client.listChannels().find((ch) => ch.channelId === l.channelId)!;
    expect(c.scidPrivacy).to.equal(true);
    // The client routes to itself over the LSP's alias, never a real SCID (unconfirmed: there is none yet).
    expect(c.inboundPaymentScid).to.be.a('bigint');
  });

  it('opens without option_scid_alias by default', async () => {
    const ready = lsp.waitFor('channelReady', (e) => e.userChannelId === 702n);
    await lsp.openChannel({ peer: client.nodeId, capacitySat: 500_000n, zeroConf: true, userChannelId: 702n });
    await ready;
    expect(lsp.listChannels().find((c) => c.userChannelId === 702n)!.scidPrivacy).to.equal(false);
  });

  it('refuses scidAlias on an announced channel', async () => {
    let err: unknown;
    await lsp
      .openChannel({ peer: client.nodeId, capacitySat: 500_000n, announce: true, scidAlias: true })
      .catch((e) => (err = e));
    expect(String(err)).to.match(/openChannel\.scidAlias/);
  });

  it('abandons the open when the client asks for a to_self_delay above maxPeerToSelfDelay', async () => {
    const closed = lsp.waitFor('channelClosed', (e) => e.userChannelId === 703n);
    await lsp.openChannel({
      peer: slowClient.nodeId,
      capacitySat: 500_000n,
      zeroConf: true,
      scidAlias: true,
      maxPeerToSelfDelay: 499,
      userChannelId: 703n,
    });
    const ev = await closed;
    expect(ev.counterpartyNodeId).to.equal(slowClient.nodeId);
    expect(lsp.listChannels().some((c) => c.userChannelId === 703n)).to.equal(false);
    expect(slowClient.listChannels().some((c) => c.counterpartyNodeId === lsp.nodeId && c.isUsable)).to.equal(false);
  });

  it('accepts a client to_self_delay equal to maxPeerToSelfDelay', async () => {
    const ready = lsp.waitFor('channelReady', (e) => e.userChannelId === 704n);
    await lsp.openChannel({
      peer: slowClient.nodeId,
      capacitySat: 500_000n,
      zeroConf: true,
      scidAlias: true,
      maxPeerToSelfDelay: 500,
      userChannelId: 704n,
    });
    await ready;
    expect(lsp.listChannels().find((c) => c.userChannelId === 704n)!.isUsable).to.equal(true);
  });

  it('rejects an out-of-range maxPeerToSelfDelay before talking to the peer', async () => {
    let err: unknown;
    await lsp
      .openChannel({ peer: client.nodeId, capacitySat: 500_000n, maxPeerToSelfDelay: 70_000 })
      .catch((e) => (err = e));
    expect(String(err)).to.match(/maxPeerToSelfDelay: expected 0\.\.65535/);
  });
});
