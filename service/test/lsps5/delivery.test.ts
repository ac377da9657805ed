import { expect } from 'chai';
import { getPublicKey } from '@jitlsp/shared/crypto';
import { lnSign, lnVerify, parseDatetime } from '@jitlsp/shared/lsps0';
import {
  LSPS5_PAYMENT_INCOMING,
  LSPS5_SIGNATURE_HEADER,
  LSPS5_TIMESTAMP_HEADER,
  LSPS5_WEBHOOK_REGISTERED,
  lsps5SignedMessage,
} from '@jitlsp/shared/lsps5';
import { WebhookDelivery, type DeliveryResult, type WebhookDeliveryOptions } from '../../src/lsps5/delivery.js';
import type { Delivery } from '../../src/lsps5/notification-gate.js';
import { makeTestCa, startReceiver, type Receiver, type TestCa } from './support/https-receiver.js';

const LSP_KEY = new Uint8Array(32).fill(0x55);
const LSP_ID = getPublicKey(LSP_KEY);
const CLIENT = '02' + '11'.repeat(32);
const FAST = { backoffBaseMs: 20, backoffMaxMs: 100, timeoutMs: 2000 };

function delivery(url: string, over: Partial<Delivery> = {}): Delivery {
  return { clientNodeId: CLIENT, appName: 'wallet', url, notification: { method: LSPS5_PAYMENT_INCOMING }, ...over };
}

describe('LSPS5 webhook delivery over HTTPS (a real server on loopback, a CA made for the test)', function () {
  let ca: TestCa;
  let rx: Receiver;
  let results: { d: Delivery; result: DeliveryResult }[];
  const started: WebhookDelivery[] = [];

  function make(over: Partial<WebhookDeliveryOptions> = {}): WebhookDelivery {
    const d = new WebhookDelivery({
      sign: (m) => lnSign(m, LSP_KEY),
      destination: { allowLoopback: true },
      extraCaPem: ca.caPem,
      limits: FAST,
      onResult: (d, result) => results.push({ d, result }),
      ...over,
    });
    started.push(d);
    return d;
  }

  before(async () => {
    ca = await makeTestCa();
    rx = await startReceiver(ca);
  });
  beforeEach(() => {
    results = [];
    rx.calls.length = 0;
    rx.answer(() => 200);
  });
  afterEach(() => started.splice(0).forEach((d) => d.stop()));
  after(() => rx.close());

  it('POSTs the notification with a timestamp and a signature by the LSP node key over them and the body', async () => {
    const d = make();
    d.enqueue(delivery(rx.url('/push?token=abc')));
    await d.idle();
    expect(results.map((r) => r.result)).to.deep.equal(['delivered']);
    const [call] = rx.calls;
    expect(call!.method).to.equal('POST');
    expect(call!.path).to.equal('/push?token=abc');
    expect(call!.body).to.equal('{"jsonrpc":"2.0","method":"lsps5.payment_incoming","params":{}}');
    expect(call!.headers['content-type']).to.equal('application/json');
    const ts = call!.headers[LSPS5_TIMESTAMP_HEADER] as string;
    expect(ts).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(parseDatetime(ts, 'ts').epochMs - Date.now())).to.be.below(10_000);
    const sig = call!.headers[LSPS5_SIGNATURE_HEADER] as string;
    expect(lnVerify(lsps5SignedMessage(ts, call!.body), sig, LSP_ID)).to.equal(true);
  });

  it('retries a 503 with backoff and delivers on the next attempt, with the same timestamp and signature', async () => {
    let n = 0;
    rx.answer(() => (++n === 1 ? 503 : 200));
    const d = make();
    d.enqueue(delivery(rx.url()));
    await d.idle();
    expect(results.map((r) => r.result)).to.deep.equal(['delivered']);
    expect(rx.calls).to.have.length(2);
    expect(rx.calls[1]!.headers[LSPS5_SIGNATURE_HEADER]).to.equal(rx.calls[0]!.headers[LSPS5_SIGNATURE_HEADER]);
    expect(rx.calls[1]!.at - rx.calls[0]!.at).to.be.at.least(10);
  });

  it('gives up after maxAttempts when the server keeps failing', async () => {
    rx.answer(() => 500);
    const d = make({ limits: { ...FAST, maxAttempts: 3 } });
    d.enqueue(delivery(rx.url()));
    await d.idle();
    expect(rx.calls).to.have.length(3);
    expect(results.map((r) => r.result)).to.deep.equal(['http_error']);
  });

  it('does not retry a 404, and does not follow a redirect (bLIP-55 SHOULD NOT)', async () => {
    rx.answer((c) =>
      c.path === '/gone' ? 404 : c.path === '/moved' ? { status: 302, headers: { location: '/x' } } : 200,
    );
    const d = make();
    d.enqueue(delivery(rx.url('/gone')));
    d.enqueue(delivery(rx.url('/moved'), { appName: 'other' }));
    await d.idle();
    expect(rx.calls.map((c) => c.path).sort()).to.deep.equal(['/gone', '/moved']);
    expect(results.map((r) => r.result)).to.deep.equal(['http_error', 'http_error']);
  });

  it('abandons a server that never answers within the deadline, and retries it', async () => {
    rx.answer(() => 'hang');
    const d = make({ limits: { ...FAST, timeoutMs: 200, maxAttempts: 2 } });
    d.enqueue(delivery(rx.url()));
    await d.idle();
    expect(rx.calls).to.have.length(2);
    expect(results.map((r) => r.result)).to.deep.equal(['network_error']);
  });

  it('verifies the certificate: without the test CA trusted, nothing is delivered', async () => {
    const d = make({ extraCaPem: undefined, limits: { ...FAST, maxAttempts: 1 } });
    d.enqueue(delivery(rx.url()));
    await d.idle();
    expect(rx.calls).to.have.length(0);
    expect(results.map((r) => r.result)).to.deep.equal(['network_error']);
  });

  it('verifies the host name: a certificate for other names is refused', async () => {
    const other = await makeTestCa(['elsewhere.test']);
    const rx2 = await startReceiver(other);
    try {
      const d = make({ extraCaPem: other.caPem, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
      d.enqueue(delivery(rx2.url('/push', 'push.test')));
      await d.idle();
      expect(rx2.calls).to.have.length(0);
      expect(results.at(-1)!.result).to.equal('network_error');
    } finally {
      await rx2.close();
    }
  });

  describe('destination check (server-side request forgery)', () => {
    const refusedCases: [
      string,
      string,
      ((h: string) => Promise<{ address: string; family: number }[]>) | undefined,
    ][] = [
      ['localhost (127.0.0.1) without the test flag', 'localhost', undefined],
      ['a literal 127.0.0.1', '127.0.0.1', undefined],
      ['a name resolving to 10.x', 'evil.test', async () => [{ address: '10.0.0.5', family: 4 }]],
      ['a literal metadata address 169.254.169.254', '169.254.169.254', undefined],
      [
        'a name resolving to a public and a private address',
        'mixed.test',
        async () => [
          { address: '93.184.216.34', family: 4 },
          { address: '192.168.1.1', family: 4 },
        ],
      ],
      [
        'a name resolving to IPv4-mapped loopback',
        'mapped.test',
        async () => [{ address: '::ffff:127.0.0.1', family: 6 }],
      ],
    ];
    for (const [what, host, resolve] of refusedCases) {
      it(`refuses ${what}, without connecting`, async () => {
        // A stand-in resolver plays the hostile DNS (no real resolver here answers these names).
        const d = make({ destination: { allowLoopback: false }, ...(resolve ? { resolve } : {}) });
        d.enqueue(delivery(rx.url('/push', host)));
        await d.idle();
        expect(results.map((r) => r.result)).to.deep.equal(['destination_refused']);
        expect(rx.calls).to.have.length(0);
      });
    }

    it('connects to the address it checked (pinned), not to a second DNS answer (rebinding)', async () => {
      // `push.test` resolves only through this resolver: 127.0.0.1 once, then a private address. The system
      // resolver knows no such name, so a delivery that arrives went to the address that was checked.
      let lookups = 0;
      const d = make({
        resolve: async () =>
          ++lookups === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.9.9.9', family: 4 }],
      });
      d.enqueue(delivery(rx.url('/push', 'push.test')));
      await d.idle();
      expect(results.map((r) => r.result)).to.deep.equal(['delivered']);
      expect(lookups).to.equal(1);
      expect(rx.calls[0]!.headers.host).to.equal(`push.test:${rx.port}`);
    });
  });

  describe('never blocking the node', () => {
    it('keeps at most maxConcurrent requests in flight', async () => {
      const own = await startReceiver(ca);
      try {
        own.answer(() => new Promise((r) => setTimeout(() => r(200), 30)));
        const d = make({ limits: { ...FAST, maxConcurrent: 2 } });
        for (let i = 0; i < 8; i++) d.enqueue(delivery(own.url(), { appName: `app${i}` }));
        await d.idle();
        expect(results.filter((r) => r.result === 'delivered')).to.have.length(8);
        expect(own.maxInFlight).to.equal(2);
      } finally {
        await own.close();
      }
    });

    it('drops notifications over the queue bound (counted queue_full) and returns at once', async () => {
      rx.answer(() => new Promise((r) => setTimeout(() => r(200), 20)));
      const d = make({ limits: { ...FAST, maxQueued: 3, maxConcurrent: 1 } });
      const accepted = Array.from({ length: 5 }, (_, i) => d.enqueue(delivery(rx.url(), { appName: `a${i}` })));
      expect(accepted).to.deep.equal([true, true, true, false, false]);
      await d.idle();
      expect(results.filter((r) => r.result === 'queue_full')).to.have.length(2);
      expect(results.filter((r) => r.result === 'delivered')).to.have.length(3);
    });

    it('sends one webhook’s notifications in order: webhook_registered first, even when it needed a retry', async () => {
      let n = 0;
      rx.answer(() => (++n === 1 ? 503 : 200));
      const d = make();
      d.enqueue(delivery(rx.url(), { notification: { method: LSPS5_WEBHOOK_REGISTERED } }));
      d.enqueue(delivery(rx.url()));
      await d.idle();
      expect(rx.calls.map((c) => JSON.parse(c.body).method)).to.deep.equal([
        LSPS5_WEBHOOK_REGISTERED,
        LSPS5_WEBHOOK_REGISTERED,
        LSPS5_PAYMENT_INCOMING,
      ]);
    });
  });
});
