import { expect } from 'chai';
import {
  LSPS5_EXPIRY_SOON,
  LSPS5_ONION_MESSAGE_INCOMING,
  LSPS5_PAYMENT_INCOMING,
  LSPS5_WEBHOOK_REGISTERED,
} from '@jitlsp/shared/lsps5';
import {
  clientEvent,
  liveCooldowns,
  webhookRegistered,
  type ClientCooldowns,
} from '../../src/lsps5/notification-gate.js';
import { EXPIRY_SOON_WINDOW_BLOCKS, expirySoonTimeout } from '../../src/lsps5/wake-up.js';
import { at, CLIENT_A, makeWebhook, T0 } from './fixtures.js';

const TWO = [makeWebhook(), makeWebhook({ appName: 'Watch', url: 'https://watch.example.org/p' })];
const COOLDOWN = 60_000;

function ev(over: Partial<Parameters<typeof clientEvent>[1]> = {}): Parameters<typeof clientEvent>[1] {
  return {
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
    const s = clientEvent(undefined, ev());
    expect(s.deliveries.map((d) => d.appName)).to.deep.equal(['My Wallet', 'Watch']);
    expect(s.heldBack).to.equal(undefined);
  });

  it('sends nothing while the client is connected, or when it has no webhook', () => {
    expect(clientEvent(undefined, ev({ connected: true }))).to.deep.include({
      deliveries: [],
      heldBack: 'client_connected',
    });
    expect(clientEvent(undefined, ev({ webhooks: [] })).heldBack).to.equal('no_webhook');
  });

  it('holds a flood back: one payment_incoming per cooldown, whatever the number of events', () => {
    let cooldowns: ClientCooldowns = undefined;
    let sent = 0;
    for (let i = 0; i < 1000; i++) {
      const s = clientEvent(cooldowns, ev({ now: at(i * 50) })); // 1,000 events in 50 s
      cooldowns = s.cooldowns;
      sent += s.deliveries.length;
    }
    expect(sent).to.equal(2); // the first event, to both webhooks
    const later = clientEvent(cooldowns, ev({ now: at(COOLDOWN) }));
    expect(later.deliveries).to.have.length(2);
  });

  it('keeps one cooldown per method: onion_message_incoming is not held back by payment_incoming', () => {
    const first = clientEvent(undefined, ev());
    const onion = clientEvent(
      first.cooldowns,
      ev({ notification: { method: LSPS5_ONION_MESSAGE_INCOMING }, now: at(1) }),
    );
    expect(onion.deliveries).to.have.length(2);
    const again = clientEvent(onion.cooldowns, ev({ now: at(2) }));
    expect(again.heldBack).to.equal('cooldown');
  });

  it('sends webhook_registered to the one new webhook, never held back by a cooldown', () => {
    expect(webhookRegistered(TWO[1]!)).to.deep.equal({
      clientNodeId: CLIENT_A,
      appName: 'Watch',
      url: TWO[1]!.url,
      notification: { method: LSPS5_WEBHOOK_REGISTERED },
    });
    expect(() => clientEvent(undefined, ev({ notification: { method: LSPS5_WEBHOOK_REGISTERED } }))).to.throw(
      RangeError,
    );
  });

  it('keeps only the cooldowns that have not run out', () => {
    const a = clientEvent(undefined, ev()).cooldowns;
    const b = clientEvent(
      a,
      ev({ notification: { method: LSPS5_EXPIRY_SOON, timeoutBlockHeight: 900 }, now: at(30_000) }),
    ).cooldowns;
    expect([...(liveCooldowns(b, at(COOLDOWN + 1), COOLDOWN)?.keys() ?? [])]).to.deep.equal([LSPS5_EXPIRY_SOON]);
    expect(liveCooldowns(b, at(200_000), COOLDOWN)).to.equal(undefined);
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
