/**
 * Real nodes over TCP on loopback: payer -> LSP -> wallet. The LSP is the stand-in from
 * `lsp-stand-in.ts`; the wallet is `JitWallet` with the LSPS2 client, the BOLT 12 router wrapper
 * and the message router, exactly as a wallet developer would embed it.
 */
import { expect } from 'chai';
import type { Logger } from '@jitlsp/shared/log';
import { decodeBolt12Json } from '@jitlsp/shared/bolt12';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import type { LightningNode } from '@jitlsp/engine/node';
import type { JitWallet } from '../../src/wallet.js';
import type { LspStandIn } from './lsp-stand-in.js';
import { ClientRig, quiet } from './rig.js';

/** The wallet's log lines, kept for the assertions on how it reports offers. */
const walletLog: { msg: string; fields: Record<string, unknown> }[] = [];
const recorded = (name: string): Logger => ({
  log(level, msg, fields) {
    walletLog.push({ msg, fields: fields ?? {} });
    quiet(name).log(level, msg, fields);
  },
});

describe('client integration: payer -> LSP -> JitWallet over TCP', function () {
  this.timeout(90_000);
  const rig = new ClientRig();
  let lsp: LspStandIn;
  let payer: LightningNode;
  let wallet: JitWallet;
  let offer: string;

  before(async () => {
    await rig.start({}, recorded('wallet'));
    ({ lsp, payer, wallet } = rig);
  });

  after(() => rig.stop());

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

  it('while the wallet is offline the LSP holds the invoice_request; the payment completes on reconnect', async () => {
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
    const w2 = await rig.startWallet('wallet2');
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
