import { expect } from 'chai';
import {
  LSPS5_EXPIRY_SOON,
  LSPS5_ONION_MESSAGE_INCOMING,
  LSPS5_PAYMENT_INCOMING,
  LSPS5_WEBHOOK_REGISTERED,
} from '@jitlsp/shared/lsps5';
import {
  clientConnected,
  clientEvent,
  emptyCooldownBook,
  expireCooldowns,
  webhookRegistered,
  type CooldownBook,
} from '../../src/lsps5/notification-gate.js';
import { EXPIRY_SOON_WINDOW_BLOCKS, expirySoonTimeout } from '../../src/lsps5/wake-up.js';
import { at, CLIENT_A, makeWebhook, T0 } from './fixtures.js';

const TWO = [makeWebhook(), makeWebhook({ appName: 'Watch', url: 'https://watch.example.org/p' })];
const COOLDOWN = 60_000;

function ev(over: Partial<Parameters<typeof clientEvent>[1]> = {}): Parameters<typeof clientEvent>[1] {
  return {
    clientNodeId: CLIENT_A,
    notification: { method: LSPS5_PAYMENT_INCOMING },
    webhooks: TWO,
    connected: false,
    now: T0,
    cooldownMs: COOLDOWN,
    ...over,
  };
}

describe('which webhooks are called, and when (bLIP-55 "Webhook Call")', () => {
  it('sends an event to every webhook of an offline client', () => {
    const s = clientEvent(emptyCooldownBook(), ev());
    expect(s.deliveries.map((d) => d.appName)).to.deep.equal(['My Wallet', 'Watch']);
    expect(s.heldBack).to.equal(undefined);
  });

  it('sends nothing while the client is connected, or when it has no webhook', () => {
    expect(clientEvent(emptyCooldownBook(), ev({ connected: true }))).to.deep.include({
      deliveries: [],
      heldBack: 'client_connected',
    });
    expect(clientEvent(emptyCooldownBook(), ev({ webhooks: [] })).heldBack).to.equal('no_webhook');
  });

  it('holds a flood back: one payment_incoming per cooldown, whatever the number of events', () => {
    let book: CooldownBook = emptyCooldownBook();
    let sent = 0;
    for (let i = 0; i < 1000; i++) {
      const s = clientEvent(book, ev({ now: at(i * 50) })); // 1,000 events in 50 s
      book = s.book;
      sent += s.deliveries.length;
    }
    expect(sent).to.equal(2); // the first event, to both webhooks
    const later = clientEvent(book, ev({ now: at(COOLDOWN) }));
    expect(later.deliveries).to.have.length(2);
  });

  it('keeps one cooldown per method: onion_message_incoming is not held back by payment_incoming', () => {
    const first = clientEvent(emptyCooldownBook(), ev());
    const onion = clientEvent(first.book, ev({ notification: { method: LSPS5_ONION_MESSAGE_INCOMING }, now: at(1) }));
    expect(onion.deliveries).to.have.length(2);
    const again = clientEvent(onion.book, ev({ now: at(2) }));
    expect(again.heldBack).to.equal('cooldown');
  });

  it('resets the cooldown once the client has come online (bLIP-55: "reset once the client comes online")', () => {
    const first = clientEvent(emptyCooldownBook(), ev());
    const book = clientConnected(first.book, CLIENT_A);
    expect(clientEvent(book, ev({ now: at(1000) })).deliveries).to.have.length(2);
  });

  it('sends webhook_registered to the one new webhook, never held back by a cooldown', () => {
    const busy = clientEvent(emptyCooldownBook(), ev()).book;
    const s = webhookRegistered(busy, TWO[1]!);
    expect(s.deliveries).to.deep.equal([
      {
        clientNodeId: CLIENT_A,
        appName: 'Watch',
        url: TWO[1]!.url,
        notification: { method: LSPS5_WEBHOOK_REGISTERED },
      },
    ]);
    expect(() => clientEvent(busy, ev({ notification: { method: LSPS5_WEBHOOK_REGISTERED } }))).to.throw(RangeError);
  });

  it('forgets run-out cooldowns only', () => {
    const a = clientEvent(emptyCooldownBook(), ev()).book;
    const b = clientEvent(
      a,
      ev({ notification: { method: LSPS5_EXPIRY_SOON, timeoutBlockHeight: 900 }, now: at(30_000) }),
    ).book;
    const pruned = expireCooldowns(b, at(COOLDOWN + 1), COOLDOWN);
    expect([...(pruned.get(CLIENT_A)?.keys() ?? [])]).to.deep.equal([LSPS5_EXPIRY_SOON]);
    expect(expireCooldowns(b, at(200_000), COOLDOWN).size).to.equal(0);
  });
});

describe('expiry_soon timeout (bLIP-55: within 24 blocks of timing out)', () => {
  it('announces the earliest CLTV expiry once it is within 24 blocks, not before', () => {
    expect(expirySoonTimeout([900, 880, null], 856)).to.equal(880);
    expect(expirySoonTimeout([900, 880], 880 - EXPIRY_SOON_WINDOW_BLOCKS - 1)).to.equal(undefined);
    expect(expirySoonTimeout([900], null)).to.equal(undefined);
    expect(expirySoonTimeout([undefined], 10)).to.equal(undefined);
  });
});
