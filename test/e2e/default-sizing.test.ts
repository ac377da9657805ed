/**
 * The channel sizing an operator gets with no configuration must carry a first JIT payment: the LSP's
 * side of the new channel needs the client's reserve and the commitment fee beside the HTLC (1 %
 * over-provisioning alone is not enough for a 50,000 sat payment; ldk-node #913 describes the same trap).
 */
import { expect } from 'chai';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import { FEE_MIN_MSAT, FEE_PPM, type Harness, startHarness } from './harness.js';

describe('end to end: the default channel sizing', function () {
  this.timeout(300_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({ JITLSP_CHANNEL_OVERPROVISIONING_SAT: '', JITLSP_CHANNEL_OVERPROVISIONING_PPM: '' });
  });
  after(async () => {
    await h?.stop();
  });

  it('opens a JIT channel big enough to forward the first payment, with the opening fee skimmed', async () => {
    const wallet = await h.startWallet('dora');
    const { offer } = await wallet.receiveViaLsp({ lsp: h.daemon.nodeAddress! });
    const amount = 50_000_000n;
    const claimable = wallet.node.waitFor('paymentClaimable', undefined, 120_000);
    const sent = h.payer.waitFor('paymentSent', undefined, 120_000);
    h.payer.payOffer(offer, amount);
    const c = await claimable;
    await sent;
    expect(c.counterpartySkimmedFeeMsat).to.equal(computeOpeningFee(amount, FEE_MIN_MSAT, FEE_PPM));
    expect(c.amountMsat + c.counterpartySkimmedFeeMsat).to.equal(amount);
    const [channel] = wallet.node.listChannels().filter((ch) => ch.counterpartyNodeId === h.daemon.node.nodeId);
    // payment - fee, + 1% of it, + 10,000 sat (the defaults)
    const payableSat = (amount - c.counterpartySkimmedFeeMsat) / 1000n;
    expect(channel!.capacitySat).to.equal(payableSat + (payableSat * 10_000n + 999_999n) / 1_000_000n + 10_000n);
  });
});
