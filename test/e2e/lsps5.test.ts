/**
 * LSPS5 through the real LSP daemon: a JitWallet registers webhooks over LSPS0 (real LDK nodes over TCP), the
 * daemon POSTs signed notifications to an HTTPS receiver on loopback whose CA is made for the test and trusted
 * through NODE_EXTRA_CA_CERTS, and the wallet's push-server check (`verifyLsps5Notification`) accepts them once.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySeenStore, verifyLsps5Notification, type JitWallet, type Lsps2ClientError } from '@jitlsp/client';
import { makeTestCa, startReceiver, type Receiver } from '../../service/test/lsps5/support/https-receiver.js';
import { type Harness, startHarness } from './harness.js';

describe('end to end: LSPS5 webhooks through the LSP daemon', function () {
  this.timeout(300_000);
  let h: Harness;
  let rx: Receiver;
  let alice: JitWallet;
  let caDir: string;
  const seen = new MemorySeenStore();

  before(async () => {
    const ca = await makeTestCa();
    caDir = mkdtempSync(join(tmpdir(), 'jitlsp-e2e-ca-'));
    writeFileSync(join(caDir, 'ca.pem'), ca.caPem);
    rx = await startReceiver(ca);
    h = await startHarness({
      JITLSP_LSPS5_ALLOW_LOCAL_WEBHOOKS: 'true',
      NODE_EXTRA_CA_CERTS: join(caDir, 'ca.pem'),
    });
    alice = await h.startWallet('alice');
  });
  after(async () => {
    await h?.stop();
    await rx?.close();
    rmSync(caDir, { recursive: true, force: true });
  });

  const lsp = () => h.daemon.node.nodeId;
  const verify = (i: number) =>
    verifyLsps5Notification(rx.calls[i]!.headers, rx.calls[i]!.body, lsp(), new Date(), { seen });

  it('1. the LSP lists LSPS5 in lsps0.list_protocols', async () => {
    expect(await alice.client(lsp()).listProtocols()).to.deep.equal([2, 5]);
  });

  it('2. set_webhook is answered and the new webhook gets webhook_registered, signed by the LSP, accepted once', async () => {
    const r = await alice.setWebhook(lsp(), 'Alice Wallet', rx.url('/push?device=alice'));
    expect(r).to.deep.equal({ numWebhooks: 1, maxWebhooks: 10, noChange: false });
    await rx.waitForCalls(1);
    expect(rx.calls[0]!.path).to.equal('/push?device=alice');
    const v = await verify(0);
    expect(v).to.deep.include({ ok: true, method: 'lsps5.webhook_registered', known: true });
    // The same call replayed to the push server is refused.
    expect(await verify(0)).to.deep.equal({ ok: false, reason: 'replay: this call was already accepted' });
    expect(await alice.setWebhook(lsp(), 'Alice Wallet', rx.url('/push?device=alice'))).to.deep.include({
      noChange: true,
    });
  });

  it('3. list and remove work, and an unknown name is 1010', async () => {
    await alice.setWebhook(lsp(), 'Second', rx.url('/push?app=2'));
    expect((await alice.listWebhooks(lsp())).appNames).to.deep.equal(['Alice Wallet', 'Second']);
    await alice.removeWebhook(lsp(), 'Second');
    const gone = await alice.removeWebhook(lsp(), 'Second').catch((e: Lsps2ClientError) => e);
    expect((gone as Lsps2ClientError).code).to.equal(1010);
    expect(await alice.listWebhooks(lsp())).to.deep.equal({ appNames: ['Alice Wallet'], maxWebhooks: 10 });
  });

  it('4. an http:// webhook is refused with 502 and a private host with client_rejected, over the wire', async () => {
    const client = alice.client(lsp());
    const http = await client
      .request('lsps5.set_webhook', { app_name: 'x', webhook: 'http://push.example.org/' })
      .catch((e: Lsps2ClientError) => e);
    expect((http as Lsps2ClientError).code).to.equal(502);
    const metadata = await client
      .request('lsps5.set_webhook', { app_name: 'x', webhook: 'https://169.254.169.254/latest' })
      .catch((e: Lsps2ClientError) => e);
    expect((metadata as Lsps2ClientError).code).to.equal(1);
  });

  it('5. an onion message for the wallet while it is offline wakes it: onion_message_incoming, verified', async () => {
    const { offer } = await alice.receiveViaLsp({ lsp: h.daemon.nodeAddress!, description: 'tea' });
    const before = rx.calls.length;
    await alice.stop();
    // The payer's invoice_request reaches the LSP for an offline wallet: held in its mailbox.
    try {
      h.payer.payOffer(offer, 10_000_000n, { retries: 0 });
    } catch {
      // the payment itself cannot complete while the wallet sleeps
    }
    const calls = await rx.waitForCalls(before + 1, 60_000);
    const wake = calls.slice(before).find((c) => JSON.parse(c.body).method === 'lsps5.onion_message_incoming');
    expect(wake, 'an onion_message_incoming call').to.not.equal(undefined);
    const v = await verifyLsps5Notification(wake!.headers, wake!.body, lsp(), new Date(), { seen });
    expect(v).to.deep.include({ ok: true, method: 'lsps5.onion_message_incoming' });
    const text = await (await fetch(`${h.daemon.http.url}/metrics`)).text();
    expect(text).to.match(
      /jitlsp_lsps5_notifications_total\{method="lsps5.onion_message_incoming",result="delivered"\} [1-9]/,
    );
  });
});
