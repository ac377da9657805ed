/**
 * The wallet fails back what it will not claim (bLIP-25: the receiver MUST fail an HTLC whose extra fee it did
 * not expect or finds too high), so the payer learns at once instead of waiting for the HTLC's CLTV expiry.
 *
 * The LSP here is the stand-in from `lsp-stand-in.ts` told to skim more than the opening fee it sold: no real
 * LSP misbehaves this way (the service daemon skims exactly the promised fee), so a stand-in plays that party.
 * The payer and the wallet are real engine nodes over TCP.
 */
import { expect } from 'chai';
import type { LightningNode } from '@jitlsp/engine/node';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import { ClientRig } from './rig.js';

/** Waits until no channel of `nodes` has an unresolved HTLC (polled: resolution crosses three nodes). */
async function noPendingHtlcs(nodes: LightningNode[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = nodes.flatMap((n) => n.listChannels().flatMap((c) => c.pendingHtlcs));
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`HTLCs still pending: ${pending.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('client integration: a misbehaving LSP stand-in skims more than the opening fee it sold', function () {
  this.timeout(120_000);
  const rig = new ClientRig();
  before(() => rig.start({ overSkimMsat: 1_000n }));
  after(() => rig.stop());

  it('fails the over-skimmed payment back: the payer gets paymentFailed and no HTLC stays pending', async () => {
    const { lsp, payer, wallet } = rig;
    const { offer } = await wallet.receiveViaLsp({ lsp: lsp.node.address! });
    const amount = 50_000_000n;
    const claimable = wallet.node.waitFor('paymentClaimable', undefined, 60_000);
    const failed = payer.waitFor('paymentFailed', undefined, 60_000);
    let claimed = false;
    wallet.node.on('paymentClaimed', () => (claimed = true));
    const paymentId = payer.payOffer(offer, amount, { retries: 0 });

    const c = await claimable;
    const fee = computeOpeningFee(amount, 1_000_000n, 10_000)!;
    expect(c.counterpartySkimmedFeeMsat).to.equal(fee + 1_000n);
    // No block is mined in this test, so the HTLCs never reach their CLTV expiry: the payer can only learn of the
    // failure from the wallet failing the payment back. (Inside a blinded path BOLT 4 has the failure reach the
    // payer as invalid_onion_blinding from the introduction node, so the payer cannot see the wallet's code.)
    const f = await failed;
    expect(f.paymentId).to.equal(paymentId);
    expect(f.paymentHash).to.equal(c.paymentHash);
    await noPendingHtlcs([payer, lsp.node, wallet.node], 20_000);
    expect(claimed).to.equal(false);
  });
});
