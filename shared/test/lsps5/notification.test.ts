import { expect } from 'chai';
import {
  LSPS5_EXPIRY_SOON,
  LSPS5_PAYMENT_INCOMING,
  LSPS5_WEBHOOK_REGISTERED,
  lsps5SignedMessage,
  lsps5SignedText,
  notificationBody,
  parseNotificationBody,
  parseTimestampHeader,
} from '../../src/lsps5/index.js';
import { BLIP55, blip55Example } from './vectors.js';

describe('LSPS5 notifications (bLIP-55 "Webhook Call")', () => {
  it('signs exactly the bytes of the spec’s hex dump', () => {
    const { timestamp, body, hex } = BLIP55.signed_message;
    expect(Buffer.from(lsps5SignedMessage(timestamp, body)).toString('hex')).to.equal(hex);
  });

  it('writes the webhook_registered body as the spec’s example object', () => {
    const body = notificationBody({ method: LSPS5_WEBHOOK_REGISTERED });
    expect(JSON.parse(body)).to.deep.equal(blip55Example(322));
    expect(body).to.equal('{"jsonrpc":"2.0","method":"lsps5.webhook_registered","params":{}}');
  });

  it('writes expiry_soon with its timeout block height', () => {
    expect(notificationBody({ method: LSPS5_EXPIRY_SOON, timeoutBlockHeight: 840_000 })).to.equal(
      '{"jsonrpc":"2.0","method":"lsps5.expiry_soon","params":{"timeout":840000}}',
    );
    expect(lsps5SignedText('T', 'B')).to.equal('LSPS5: DO NOT SIGN THIS MESSAGE MANUALLY: LSP: At T I notify B');
  });

  it('reads a body back, unknown methods and params included (a delivery service ignores them)', () => {
    const r = parseNotificationBody(notificationBody({ method: LSPS5_PAYMENT_INCOMING }));
    expect(r).to.deep.include({ ok: true, method: LSPS5_PAYMENT_INCOMING, known: true });
    const unknown = parseNotificationBody('{"jsonrpc":"2.0","method":"acme.hello","params":{"x":1}}');
    expect(unknown).to.deep.include({ ok: true, known: false });
    const e = parseNotificationBody('{"jsonrpc":"2.0","method":"lsps5.expiry_soon","params":{"timeout":9,"y":2}}');
    expect(e).to.deep.include({ ok: true, timeoutBlockHeight: 9 });
  });

  const bad: [string, string][] = [
    ['not JSON', '{'],
    ['an array', '[]'],
    ['jsonrpc 1.0', '{"jsonrpc":"1.0","method":"lsps5.payment_incoming","params":{}}'],
    ['a request (with id)', '{"jsonrpc":"2.0","id":"1","method":"lsps5.payment_incoming","params":{}}'],
    ['params by position', '{"jsonrpc":"2.0","method":"lsps5.payment_incoming","params":[]}'],
    ['no params', '{"jsonrpc":"2.0","method":"lsps5.payment_incoming"}'],
    ['expiry_soon without timeout', '{"jsonrpc":"2.0","method":"lsps5.expiry_soon","params":{}}'],
  ];
  for (const [what, body] of bad) {
    it(`refuses a body that is ${what}`, () => expect(parseNotificationBody(body).ok).to.equal(false));
  }

  it('reads the timestamp header as an LSPS0.datetime only', () => {
    expect(parseTimestampHeader('2023-05-04T10:14:23.853Z')?.epochMs).to.equal(Date.UTC(2023, 4, 4, 10, 14, 23, 853));
    expect(parseTimestampHeader('2023-05-04 10:14:23')).to.equal(null);
    expect(parseTimestampHeader(undefined)).to.equal(null);
  });
});
