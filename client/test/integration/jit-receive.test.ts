/**
 * Real nodes over TCP on loopback: payer -> LSP -> wallet. The LSP is the stand-in from
 * `lsp-stand-in.ts`; the wallet is `JitWallet` with the LSPS2 client, the BOLT 12 router wrapper
 * and the message router, exactly as a wallet developer would embed it.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxChain } from '@jitlsp/engine/chain';
import { decodeBolt12Json } from '@jitlsp/shared/bolt12';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import { LightningNode, type NodeLogger } from '@jitlsp/engine/node';
import { JitWallet } from '../../src/wallet.js';
import { LspStandIn } from './lsp-stand-in.js';

const quiet = (name: string): NodeLogger => ({
  log(level, msg, fields) {
    if (level === 'error' || process.env.JITLSP_TEST_LOG === 'debug')
      process.stderr.write(
        `${name} ${level} ${msg} ${JSON.stringify(fields ?? {}, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}\n`,
      );
  },
});

/** The wallet's log lines, kept for the assertions on how it reports offers. */
const walletLog: { msg: string; fields: Record<string, unknown> }[] = [];
const recorded = (name: string): NodeLogger => ({
  log(level, msg, fields) {
    walletLog.push({ msg, fields: fields ?? {} });
    quiet(name).log(level, msg, fields);
  },
});

describe('client integration: payer -> LSP -> JitWallet over TCP', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  const dir = (p: string) => {
    const d = mkdtempSync(join(tmpdir(), `jitlsp-client-${p}-`));
    dirs.push(d);
    return d;
  };
  let chain: SandboxChain;
  let lsp: LspStandIn;
  let payer: LightningNode;
  let wallet: JitWallet;
  let offer: string;

  before(async () => {
    chain = await SandboxChain.create({ log: () => undefined });
    lsp = await LspStandIn.start({ chain, dataDir: dir('lsp'), logger: quiet('lsp') });
    payer = await LightningNode.start({
      dataDir: dir('payer'),
      chain,
      name: 'payer',
      logger: quiet('payer'),
      listen: { host: '127.0.0.1', port: 0 },
    });
    wallet = await JitWallet.start({
      dataDir: dir('wallet'),
      chain,
      lsps: [lsp.node.address!],
      logger: recorded('wallet'),
      feeLimits: { maxTotalFeeMsat: 5_000_000n, maxProportional: 20_000 },
      maintenanceIntervalMs: 0,
      node: { listen: { host: '127.0.0.1', port: 0 }, reconnectBackoffMs: { min: 50, max: 500 } },
    });
    // The payer has a zero-conf channel to the LSP (the LSP's own liquidity comes from the sandbox wallet).
    await payer.connect(lsp.node.address!);
    const ready = payer.waitFor('channelReady');
    await payer.openChannel({ peer: lsp.node.nodeId, capacitySat: 5_000_000n, zeroConf: true });
    await ready;
  });

  after(async () => {
    await wallet?.stop();
    await payer?.stop();
    await lsp?.stop();
    await chain?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('receiveViaLsp returns an amountless offer whose paths enter through the LSP, after buying a lease', async () => {
    const r = await wallet.receiveViaLsp({ lsp: lsp.node.address!, description: 'coffee' });
    offer = r.offer;
    expect(offer.startsWith('lno1')).to.equal(true);
    expect(r.description).to.equal('coffee');
    expect(r.feeParams.minFeeMsat).to.equal(1_000_000n);
    expect(lsp.sales).to.have.length.greaterThan(0);
    expect(lsp.sales[0]!.paymentSizeMsat).to.equal(undefined);
    expect(wallet.router.registration({ offerId: r.offerId })?.lsp.nodeId).to.equal(lsp.node.nodeId);
  });

  it('reports the registered offer by the ldk_offer_id that jitlsp decode prints for the offer LDK built', () => {
    const decoded = decodeBolt12Json(offer).json as { offer_id: string; ldk_offer_id: string };
    const registered = wallet.router.registrations().map((reg) => ('offerId' in reg.key ? reg.key.offerId : null));
    expect(registered).to.deep.equal([decoded.ldk_offer_id]);
    const line = walletLog.find((l) => l.msg === 'lsps2 router: offer registered');
    expect(line?.fields).to.include({ ldkOfferId: decoded.ldk_offer_id, lsp: lsp.node.nodeId });
    expect(decoded.offer_id).to.not.equal(decoded.ldk_offer_id);
  });

  it('a first payment opens a JIT channel; the wallet receives the amount minus the skimmed opening fee', async () => {
    const amount = 50_000_000n;
    const claimable = wallet.node.waitFor('paymentClaimable', undefined, 60_000);
    const claimed = wallet.node.waitFor('paymentClaimed', undefined, 60_000);
    const sent = payer.waitFor('paymentSent', undefined, 60_000);
    payer.payOffer(offer, amount);
    const c = await claimable;
    await claimed;
    await sent;
    const fee = computeOpeningFee(amount, 1_000_000n, 10_000)!;
    expect(c.counterpartySkimmedFeeMsat).to.equal(fee);
    expect(c.amountMsat + c.counterpartySkimmedFeeMsat).to.equal(amount);
    expect(lsp.opened).to.have.length(1);
    const added = walletLog.find((l) => l.msg === 'lsps2 router: JIT path added');
    expect(added?.fields.ldkOfferId).to.equal((decodeBolt12Json(offer).json as { ldk_offer_id: string }).ldk_offer_id);
  });

  it('a second payment reaches the wallet over the existing channel without a fee', async () => {
    const amount = 20_000_000n;
    const claimable = wallet.node.waitFor('paymentClaimable', undefined, 60_000);
    const sent = payer.waitFor('paymentSent', undefined, 60_000);
    payer.payOffer(offer, amount);
    const c = await claimable;
    await sent;
    expect(c.amountMsat).to.equal(amount);
    expect(c.counterpartySkimmedFeeMsat).to.equal(0n);
    expect(lsp.opened).to.have.length(1);
    // The channel's inbound capacity covers the amount, so the invoice carried no JIT path.
    expect(lsp.intercepted).to.have.length(1);
  });

  it('a payment to an offer not registered with the router uses ordinary paths', async () => {
    const plain = wallet.node.createOffer();
    expect(wallet.router.registration({ offerId: plain.offerId })).to.equal(undefined);
    const claimable = wallet.node.waitFor('paymentClaimable', undefined, 60_000);
    const sent = payer.waitFor('paymentSent', undefined, 60_000);
    payer.payOffer(plain.offer, 7_000_000n);
    expect((await claimable).amountMsat).to.equal(7_000_000n);
    await sent;
    expect(lsp.intercepted).to.have.length(1);
  });

  it('while the wallet is offline the LSP holds the invoice_request and the payment completes on reconnect', async () => {
    const gone = lsp.node.waitFor('peerDisconnected', (e) => e.peerNodeId === wallet.node.nodeId);
    wallet.node.disconnect(lsp.node.nodeId);
    await gone;
    const held = lsp.node.waitFor('onionMessageIntercepted', (e) => e.peerNodeId === wallet.node.nodeId, 30_000);
    const claimable = wallet.node.waitFor('paymentClaimable', undefined, 60_000);
    const sent = payer.waitFor('paymentSent', undefined, 60_000);
    payer.payOffer(offer, 3_000_000n);
    await held;
    expect(lsp.heldMessageCount).to.be.greaterThan(0);
    await wallet.node.connect(lsp.node.address!);
    expect((await claimable).amountMsat).to.equal(3_000_000n);
    await sent;
    expect(lsp.heldMessageCount).to.equal(0);
  });

  it('a fixed amount uses a pre-bought MPP lease for that amount (fresh wallet, first payment)', async () => {
    const w2 = await JitWallet.start({
      dataDir: dir('wallet2'),
      chain,
      lsps: [lsp.node.address!],
      logger: quiet('wallet2'),
      maintenanceIntervalMs: 0,
      node: { reconnectBackoffMs: { min: 50, max: 500 } },
    });
    try {
      const r = await w2.receiveViaLsp({ lsp: lsp.node.address!, policy: { poolSize: 0 } });
      const amount = 30_000_000n;
      const mpp = await w2.leases.buyMppLease(lsp.node.nodeId, amount);
      expect(lsp.sales.find((s) => s.scid === mpp.interceptScid)?.paymentSizeMsat).to.equal(amount);
      const claimable = w2.node.waitFor('paymentClaimable', undefined, 60_000);
      const sent = payer.waitFor('paymentSent', undefined, 60_000);
      payer.payOffer(r.offer, amount);
      const c = await claimable;
      await sent;
      expect(lsp.intercepted[lsp.intercepted.length - 1]).to.equal(mpp.interceptScid);
      expect(c.amountMsat + c.counterpartySkimmedFeeMsat).to.equal(amount);
      expect(c.counterpartySkimmedFeeMsat).to.equal(computeOpeningFee(amount, 1_000_000n, 10_000));
      expect(w2.router.leases().find((l) => l.interceptScid === mpp.interceptScid)?.assignment?.amountMsat).to.equal(
        amount,
      );
    } finally {
      await w2.stop();
    }
  });
});
