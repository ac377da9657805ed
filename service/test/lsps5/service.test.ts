/**
 * The LSPS5 service against real databases (SQLite file and Postgres, same suite), its LSPS0 methods through
 * the real dispatcher, and its notifications delivered to a real HTTPS receiver on loopback.
 */
import { expect } from 'chai';
import { getPublicKey } from '@jitlsp/shared/crypto';
import { lnSign, lnVerify } from '@jitlsp/shared/lsps0';
import { LSPS5_SIGNATURE_HEADER, LSPS5_TIMESTAMP_HEADER, lsps5SignedMessage } from '@jitlsp/shared/lsps5';
import type { Database } from '../../src/db/database.js';
import { WebhookRepository } from '../../src/db/repositories/webhook.repository.js';
import { Lsps0Dispatcher } from '../../src/lsps0/dispatcher.js';
import { WebhookDelivery } from '../../src/lsps5/delivery.js';
import { Lsps5Service, type NotificationResult } from '../../src/lsps5/service.js';
import { databaseSiteFactories, type TestDatabaseSite } from '../db/targets.js';
import { at, CLIENT_A, CLIENT_B, DAY_MS, T0 } from './fixtures.js';
import { makeTestCa, startReceiver, type Receiver, type TestCa } from './support/https-receiver.js';

const factories = await databaseSiteFactories();
const LSP_KEY = new Uint8Array(32).fill(0x66);
const LSP_ID = getPublicKey(LSP_KEY);

interface Rig {
  service: Lsps5Service;
  delivery: WebhookDelivery;
  dispatcher: Lsps0Dispatcher;
  connected: Set<string>;
  channelPeers: Set<string>;
  counted: { method: string; result: NotificationResult }[];
  setNow(d: Date): void;
  call(peer: string, method: string, params?: Record<string, unknown>): Promise<any>;
}

let seq = 0;

async function makeRig(db: Database, ca: TestCa): Promise<Rig> {
  let now = T0;
  const sent: any[] = [];
  const connected = new Set<string>();
  const channelPeers = new Set<string>();
  const counted: Rig['counted'] = [];
  const delivery = new WebhookDelivery({
    sign: (m) => lnSign(m, LSP_KEY),
    destination: { allowLoopback: true },
    extraCaPem: ca.caPem,
    limits: { backoffBaseMs: 10, backoffMaxMs: 50, timeoutMs: 3000 },
    onResult: (d, result) => counted.push({ method: d.notification.method, result }),
  });
  const service = await Lsps5Service.start({
    store: new WebhookRepository(db),
    delivery,
    destination: { allowLoopback: true },
    isConnected: (p) => connected.has(p),
    channelPeers: () => channelPeers,
    clock: () => now,
    onNotification: (method, result) => counted.push({ method, result }),
  });
  const dispatcher = new Lsps0Dispatcher({
    send: (_peer, payload) => sent.push(JSON.parse(new TextDecoder().decode(payload))),
    protocols: [2],
    clock: () => now,
  });
  service.register(dispatcher);
  return {
    service,
    delivery,
    dispatcher,
    connected,
    channelPeers,
    counted,
    setNow: (d) => (now = d),
    async call(peer, method, params = {}) {
      const id = `r${++seq}`;
      await dispatcher.handleMessage(peer, JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      const answer = sent.find((a) => a.id === id);
      if (!answer) throw new Error(`no answer to ${method}`);
      return answer;
    },
  };
}

for (const factory of factories) {
  const title = `LSPS5 service on ${factory.name}` + (factory.skipReason ? ` (skipped: ${factory.skipReason})` : '');
  (factory.skipReason ? describe.skip : describe)(title, function () {
    let site: TestDatabaseSite;
    let db: Database;
    let ca: TestCa;
    let rx: Receiver;
    let rig: Rig;

    before(async () => {
      ca = await makeTestCa();
      rx = await startReceiver(ca);
    });
    after(() => rx.close());
    beforeEach(async () => {
      site = await factory.create();
      db = await site.open();
      rx.calls.length = 0;
      rig = await makeRig(db, ca);
    });
    afterEach(async () => {
      rig.delivery.stop();
      await db.close();
      await site.destroy();
    });

    it('lists 5 in lsps0.list_protocols beside 2', async () => {
      expect((await rig.call(CLIENT_A, 'lsps0.list_protocols')).result).to.deep.equal({ protocols: [2, 5] });
    });

    it('persists a webhook before answering set_webhook: a new service on the same database has it', async () => {
      const r = await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'Wallet', webhook: rx.url('/a?t=1') });
      expect(r.result).to.deep.equal({ num_webhooks: 1, max_webhooks: 10, no_change: false });
      // Read from the database right after the answer, through a fresh service (as after a restart).
      const again = await makeRig(db, ca);
      try {
        expect(again.service.webhooksOf(CLIENT_A).map((w) => [w.appName, w.url])).to.deep.equal([
          ['Wallet', rx.url('/a?t=1')],
        ]);
        expect((await again.call(CLIENT_A, 'lsps5.list_webhooks')).result).to.deep.equal({
          app_names: ['Wallet'],
          max_webhooks: 10,
        });
      } finally {
        again.delivery.stop();
      }
    });

    it('sends webhook_registered, signed by the LSP key, to the new webhook only, and not again for no_change', async () => {
      await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'One', webhook: rx.url('/one') });
      await rig.delivery.idle();
      await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'Two', webhook: rx.url('/two') });
      const same = await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'Two', webhook: rx.url('/two') });
      expect(same.result.no_change).to.equal(true);
      await rig.delivery.idle();
      expect(rx.calls.map((c) => [c.path, JSON.parse(c.body).method])).to.deep.equal([
        ['/one', 'lsps5.webhook_registered'],
        ['/two', 'lsps5.webhook_registered'],
      ]);
      for (const c of rx.calls) {
        const ts = c.headers[LSPS5_TIMESTAMP_HEADER] as string;
        expect(lnVerify(lsps5SignedMessage(ts, c.body), c.headers[LSPS5_SIGNATURE_HEADER] as string, LSP_ID)).to.equal(
          true,
        );
      }
    });

    it('refuses an 11th webhook with 503 and data.max_webhooks, and keeps 10', async () => {
      for (let i = 0; i < 10; i++) {
        const r = await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: `app${i}`, webhook: rx.url(`/w${i}`) });
        expect(r.result.num_webhooks).to.equal(i + 1);
      }
      const r = await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'app10', webhook: rx.url('/w10') });
      expect(r.error).to.deep.equal({ code: 503, message: 'too_many_webhooks', data: { max_webhooks: 10 } });
      expect(await new WebhookRepository(db).count()).to.equal(10);
      // Another client has its own limit.
      expect((await rig.call(CLIENT_B, 'lsps5.set_webhook', { app_name: 'x', webhook: rx.url() })).result).to.be.ok;
    });

    it('takes concurrent set_webhook calls one at a time: 5 stored, then 7 at once leave exactly 10', async () => {
      for (let i = 0; i < 5; i++)
        await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: `s${i}`, webhook: rx.url() });
      // 7 in flight at once stay under the dispatcher's 10 pending requests per peer.
      const answers = await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: `c${i}`, webhook: rx.url(`/c${i}`) }),
        ),
      );
      expect(answers.filter((a) => a.result).map((a) => a.result.num_webhooks)).to.deep.equal([6, 7, 8, 9, 10]);
      expect(answers.filter((a) => a.error?.code === 503).length).to.equal(2);
      expect(await new WebhookRepository(db).count()).to.equal(10);
    });

    it('answers http://, credentials and a private host with their codes, storing nothing', async () => {
      const codes = [];
      for (const webhook of ['http://push.example.org/x', 'https://u:p@push.example.org/', 'https://10.0.0.1/']) {
        codes.push((await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'a', webhook })).error.code);
      }
      expect(codes).to.deep.equal([502, 501, 1]);
      expect(await new WebhookRepository(db).count()).to.equal(0);
    });

    it('removes a webhook (gone after a restart too) and answers 1010 for an unknown name', async () => {
      await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'Wallet', webhook: rx.url() });
      expect((await rig.call(CLIENT_A, 'lsps5.remove_webhook', { app_name: 'Wallet' })).result).to.deep.equal({});
      expect((await rig.call(CLIENT_A, 'lsps5.remove_webhook', { app_name: 'Wallet' })).error).to.deep.equal({
        code: 1010,
        message: 'app_name_not_found',
      });
      expect(await new WebhookRepository(db).count()).to.equal(0);
      expect(rig.service.holdsOnionMessages(CLIENT_A)).to.equal(false);
    });

    it('wakes an offline client on every webhook, once per cooldown, through a flood of 200 events', async () => {
      await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'One', webhook: rx.url('/one') });
      await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'Two', webhook: rx.url('/two') });
      await rig.delivery.idle();
      rx.calls.length = 0;
      for (let i = 0; i < 200; i++) {
        rig.setNow(at(i * 100)); // 20 s of payments
        rig.service.paymentIncoming(CLIENT_A);
      }
      await rig.delivery.idle();
      expect(rx.calls.map((c) => [c.path, JSON.parse(c.body).method]).sort()).to.deep.equal([
        ['/one', 'lsps5.payment_incoming'],
        ['/two', 'lsps5.payment_incoming'],
      ]);
      expect(rig.counted.filter((c) => c.result === 'cooldown')).to.have.length(199);
      // After the cooldown, once more; after the client came online, at once.
      rig.setNow(at(60_000 + 19_900));
      rig.service.paymentIncoming(CLIENT_A);
      rig.service.peerConnected(CLIENT_A);
      rig.service.paymentIncoming(CLIENT_A);
      await rig.delivery.idle();
      expect(rx.calls).to.have.length(6);
    });

    it('sends nothing while the client is connected, and nothing for a client without webhooks', async () => {
      await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'One', webhook: rx.url('/one') });
      await rig.delivery.idle();
      rx.calls.length = 0;
      rig.connected.add(CLIENT_A);
      rig.service.onionMessageIncoming(CLIENT_A);
      rig.service.expirySoon(CLIENT_B, 900);
      await rig.delivery.idle();
      expect(rx.calls).to.have.length(0);
    });

    it('holds onion messages for a client exactly while it has a webhook', async () => {
      expect(rig.service.holdsOnionMessages(CLIENT_A)).to.equal(false);
      await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'One', webhook: rx.url('/one') });
      expect(rig.service.holdsOnionMessages(CLIENT_A)).to.equal(true);
    });

    it('keeps webhooks 30 days without a channel, forever with one, and deletes them from the database after', async () => {
      await rig.call(CLIENT_A, 'lsps5.set_webhook', { app_name: 'A', webhook: rx.url('/a') });
      await rig.call(CLIENT_B, 'lsps5.set_webhook', { app_name: 'B', webhook: rx.url('/b') });
      rig.channelPeers.add(CLIENT_B);
      await rig.service.retention(at(29 * DAY_MS));
      expect(await new WebhookRepository(db).count()).to.equal(2);
      await rig.service.retention(at(31 * DAY_MS));
      expect(rig.service.webhooksOf(CLIENT_A)).to.have.length(0);
      expect(rig.service.webhooksOf(CLIENT_B)).to.have.length(1);
      const stored = await new WebhookRepository(db).loadAll();
      expect(stored.map((w) => [w.clientNodeId, w.retainedFrom.getTime()])).to.deep.equal([
        [CLIENT_B, at(31 * DAY_MS).getTime()],
      ]);
      // B's last channel closes: kept 30 days from the last time it was seen with one.
      rig.channelPeers.clear();
      await rig.service.retention(at(60 * DAY_MS));
      expect(await new WebhookRepository(db).count()).to.equal(1);
      await rig.service.retention(at(62 * DAY_MS));
      expect(await new WebhookRepository(db).count()).to.equal(0);
    });
  });
}
