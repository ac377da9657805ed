/**
 * `npm run demo`: one LSP, one wallet and one payer on loopback (sandbox regtest chain, SQLite in a temp dir).
 * It narrates a BOLT 12 payment to a wallet with no channel: the LSP sells a JIT channel (LSPS2 / bLIP-52), the
 * payer pays the wallet's offer, the LSP opens a zero-conf channel and forwards the payment minus its opening
 * fee; then a second payment over the same channel, without a fee. Then a fixed-amount offer with a description
 * built and answered by the wallet in TypeScript, and a bill split between two payers through one group offer
 * (one payment, one JIT channel). Ends with the LSP's metrics; exits 0.
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

  say('[6]', 'A fixed-amount offer with a description, built and answered by the wallet in TypeScript...');
  step = performance.now();
  const fixed = await wallet.createOffer({
    amountMsat: 25_000_000n,
    description: 'Two croissants',
    issuer: 'Demo Bakery',
    lsp: lsp.nodeAddress!,
  });
  detail(`offer for ${sat(25_000_000n)}, "Two croissants" from "Demo Bakery" (amount and description encoded in it):`);
  console.log(`\n     ${fixed.offer}\n`);
  const claimable3 = wallet.node.waitFor('paymentClaimable', undefined, 60_000);
  const sent3 = payer.waitFor('paymentSent', undefined, 60_000);
  payer.payOffer(fixed.offer, 25_000_000n);
  const c3 = await claimable3;
  await sent3;
  detail(
    `the payer's LDK node decoded it, requested an invoice; the wallet answered in TypeScript; received ${sat(c3.amountMsat)} (${ms(step)})`,
  );

  const total = 50_000_000n;
  say(
    '[7]',
    `Split the bill: two friends pay ${sat(30_000_000n)} + ${sat(20_000_000n)} of one ${sat(total)} group offer...`,
  );
  step = performance.now();
  const friends: JitWallet[] = [];
  for (const name of ['friend-1', 'friend-2']) {
    const f = await JitWallet.start({
      dataDir: join(root, name),
      chain,
      lsps: [lsp.nodeAddress!],
      logger: silent,
      name,
      maintenanceIntervalMs: 0,
    });
    await confirmedChannel(chain, f.node, lsp.node, 1_000_000n);
    friends.push(f);
  }
  const host = await JitWallet.start({
    dataDir: join(root, 'host'),
    chain,
    lsps: [lsp.nodeAddress!],
    logger: silent,
    name: 'host',
    maintenanceIntervalMs: 0,
  });
  const group = await host.createGroupOffer({
    totalMsat: total,
    description: 'Dinner for three',
    windowSecs: 600,
    lsp: lsp.nodeAddress!,
  });
  detail(`the host (no channel) made a group offer; every payer's invoice shares one payment hash (${ms(step)})`);
  const claimed = host.node.waitFor('paymentClaimed', undefined, 60_000);
  const shares = [30_000_000n, 20_000_000n];
  const ids = friends.map((f, i) => f.payOfferShare(group.offer, { totalMsat: total, shareMsat: shares[i]! }));
  await Promise.all(friends.map((f, i) => f.node.waitFor('paymentSent', (e) => e.paymentId === ids[i], 60_000)));
  const got7 = await claimed;
  detail(
    `the LSP collected both parts in one MPP session, opened one channel, and the host claimed ${sat(got7.amountMsat)} once; both friends saw PaymentSent (${ms(step)})`,
  );

  say('[8]', "The LSP's metrics (GET /metrics, non-zero series):");
  const body = await (await fetch(`${lsp.http.url}/metrics`)).text();
  for (const line of body.split('\n')) {
    if (!line.startsWith('jitlsp_') || line.includes('_bucket') || /^jitlsp_(process|nodejs)_/.test(line)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (value !== 0) detail(line);
  }

  for (const w of [...friends, host]) await w.stop();
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
