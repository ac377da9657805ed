/**
 * `npm run demo`: one LSP, one wallet and one payer on loopback (sandbox regtest chain, SQLite in a temp dir).
 * It narrates a BOLT 12 payment to a wallet with no channel: the LSP sells a JIT channel (LSPS2 / bLIP-52), the
 * payer pays the wallet's offer, the LSP opens a zero-conf channel and forwards the payment minus its opening
 * fee; then a second payment over the same channel, without a fee. Ends with the LSP's metrics; exits 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JitWallet } from '@jitlsp/client';
import { Daemon, createLogger, loadConfig } from '@jitlsp/service';
import { SandboxChain } from '@jitlsp/engine/chain';
import { formatScid } from '@jitlsp/shared/lsps0';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import { LightningNode } from '@jitlsp/engine/node';
import { confirmedChannel } from '@jitlsp/engine/testing';
import type { Logger } from '@jitlsp/shared/log';

const silent: Logger = { log: () => undefined };
const t0 = performance.now();
const ms = (since: number) => `${(performance.now() - since).toFixed(0)} ms`;
const sat = (msat: bigint) => `${(Number(msat) / 1000).toLocaleString('en-US')} sat`;
const say = (step: string, text: string) => console.log(`\n${step} ${text}`);
const detail = (text: string) => console.log(`     ${text}`);

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'jitlsp-demo-'));
  console.log('jitlsp demo: receiving a BOLT 12 payment through a just-in-time channel (LSPS2)');
  console.log(`state in ${root} (deleted at the end)`);

  say('[1]', 'Starting a regtest sandbox chain and the LSP daemon (LDK node + SQLite + HTTP)...');
  let step = performance.now();
  const chain = await SandboxChain.create({ log: () => undefined });
  const minFee = 1_000_000n;
  const ppm = 10_000;
  const config = loadConfig(
    {
      JITLSP_DATA_DIR: join(root, 'lsp'),
      JITLSP_HTTP_PORT: '0',
      JITLSP_P2P_PORT: '0',
      JITLSP_FEE_TIERS: `${minFee}:${ppm}`,
      JITLSP_MIN_PAYMENT_SIZE_MSAT: '1000000',
      // Operator policy: 100,000 sat of extra inbound per JIT channel, so the second payment goes fee-free over it.
      JITLSP_CHANNEL_OVERPROVISIONING_SAT: '100000',
      JITLSP_LOG_LEVEL: 'error',
    },
    root,
  );
  const lsp = await Daemon.start({ config, chain, logger: createLogger({ level: 'error' }) });
  detail(
    `LSP node ${lsp.node.nodeId.slice(0, 16)}… listening at ${lsp.nodeAddress?.split('@')[1]}, HTTP ${lsp.http.url} (${ms(step)})`,
  );
  detail(`fee menu: opening fee = max(${sat(minFee)}, ${ppm / 10_000}% of the payment)`);

  say('[2]', 'Starting the payer and opening a normal channel to the LSP (6 confirmations)...');
  step = performance.now();
  const payer = await LightningNode.start({ dataDir: join(root, 'payer'), chain, name: 'payer', logger: silent });
  await payer.connect(lsp.nodeAddress!);
  await confirmedChannel(chain, payer, lsp.node, 5_000_000n);
  detail(`payer -> LSP channel of ${(5_000_000).toLocaleString('en-US')} sat is usable (${ms(step)})`);

  say('[3]', 'Starting the wallet (no channels, no inbound liquidity) and asking for an offer via the LSP...');
  step = performance.now();
  const wallet = await JitWallet.start({
    dataDir: join(root, 'wallet'),
    chain,
    lsps: [lsp.nodeAddress!],
    logger: silent,
    name: 'wallet',
    maintenanceIntervalMs: 0,
  });
  const got = await wallet.receiveViaLsp({ lsp: lsp.nodeAddress!, description: 'Coffee at the demo' });
  detail(
    `lsps0.list_protocols -> lsps2.get_info -> lsps2.buy done; intercept SCID ${formatScid(got.lease.interceptScid)}, LSP CLTV delta ${got.lease.lspCltvExpiryDelta} (${ms(step)})`,
  );
  detail(`offer (amountless: the payer picks the amount; description "${got.description}" is shown beside it):`);
  console.log(`\n     ${got.offer}\n`);
  detail('the offer carries no SCID: each invoice gets a fresh, unexpired lease through the LSP.');

  const amount1 = 50_000_000n;
  say('[4]', `The payer pays ${sat(amount1)} to the offer. The wallet has no channel yet...`);
  step = performance.now();
  const intercepted = lsp.node.waitFor('htlcIntercepted', undefined, 60_000);
  const opened = lsp.node.waitFor('channelReady', (e) => e.counterpartyNodeId === wallet.node.nodeId, 60_000);
  const claimable1 = wallet.node.waitFor('paymentClaimable', undefined, 60_000);
  const sent1 = payer.waitFor('paymentSent', undefined, 60_000);
  payer.payOffer(got.offer, amount1);
  const ic = await intercepted;
  detail(
    `LSP intercepted the HTLC to SCID ${formatScid(ic.requestedNextHopScid)}: ${sat(ic.inboundAmountMsat)} (${ms(step)})`,
  );
  await opened;
  detail(`LSP opened a zero-conf channel to the wallet (${ms(step)})`);
  const c1 = await claimable1;
  await sent1;
  const fee1 = computeOpeningFee(amount1, minFee, ppm)!;
  detail(
    `wallet received ${sat(c1.amountMsat)}; LSP skimmed ${sat(c1.counterpartySkimmedFeeMsat)} (expected opening fee ${sat(fee1)})`,
  );
  detail(
    `check: ${sat(c1.amountMsat)} + ${sat(c1.counterpartySkimmedFeeMsat)} = ${sat(c1.amountMsat + c1.counterpartySkimmedFeeMsat)} = what the payer sent`,
  );
  detail(`payer saw PaymentSent ${ms(step)} after paying`);

  const amount2 = 20_000_000n;
  say('[5]', `A second payment of ${sat(amount2)} to the same offer...`);
  step = performance.now();
  const claimable2 = wallet.node.waitFor('paymentClaimable', undefined, 60_000);
  const sent2 = payer.waitFor('paymentSent', undefined, 60_000);
  payer.payOffer(got.offer, amount2);
  const c2 = await claimable2;
  await sent2;
  detail(
    `wallet received ${sat(c2.amountMsat)} over the existing channel, fee ${sat(c2.counterpartySkimmedFeeMsat)} (${ms(step)})`,
  );

  say('[6]', "The LSP's metrics (GET /metrics, non-zero series):");
  const body = await (await fetch(`${lsp.http.url}/metrics`)).text();
  for (const line of body.split('\n')) {
    if (!line.startsWith('jitlsp_') || line.includes('_bucket') || /^jitlsp_(process|nodejs)_/.test(line)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (value !== 0) detail(line);
  }

  await wallet.stop();
  await payer.stop();
  await lsp.stop();
  await chain.close();
  rmSync(root, { recursive: true, force: true });
  console.log(`\nDone in ${ms(t0)}.`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('demo failed:', e);
    process.exit(1);
  },
);
