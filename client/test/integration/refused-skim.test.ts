/**
 * The wallet fails back what it will not claim (bLIP-25: the receiver MUST fail an HTLC whose extra fee it did
 * not expect or finds too high), so the payer learns at once instead of waiting for the HTLC's CLTV expiry.
 *
 * The LSP here is the stand-in from `lsp-stand-in.ts` told to skim more than the opening fee it sold: no real
 * LSP misbehaves this way (the service daemon skims exactly the promised fee), so a stand-in plays that party.
 * The payer and the wallet are real engine nodes over TCP.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxChain } from '@jitlsp/engine/chain';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import { LightningNode, type NodeLogger } from '@jitlsp/engine/node';
import { JitWallet } from '../../src/wallet.js';
import { LspStandIn } from './lsp-stand-in.js';

const quiet: NodeLogger = {
  log(level, msg, fields) {
    if (process.env.JITLSP_TEST_LOG === 'debug') process.stderr.write(`${level} ${msg} ${String(fields?.node)}\n`);
  },
};

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

  before(async () => {
    chain = await SandboxChain.create({ log: () => undefined });
    lsp = await LspStandIn.start({ chain, dataDir: dir('lsp'), logger: quiet, overSkimMsat: 1_000n });
    payer = await LightningNode.start({
      dataDir: dir('payer'),
      chain,
      name: 'payer',
      logger: quiet,
      listen: { host: '127.0.0.1', port: 0 },
    });
    wallet = await JitWallet.start({
      dataDir: dir('wallet'),
      chain,
      lsps: [lsp.node.address!],
      logger: quiet,
      feeLimits: { maxTotalFeeMsat: 5_000_000n, maxProportional: 20_000 },
      maintenanceIntervalMs: 0,
      node: { listen: { host: '127.0.0.1', port: 0 }, reconnectBackoffMs: { min: 50, max: 500 } },
    });
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

  it('the wallet fails the over-skimmed payment back: the payer gets paymentFailed and no HTLC stays pending', async () => {
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
