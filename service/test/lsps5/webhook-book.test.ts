import { expect } from 'chai';
import {
  LSPS5_APP_NAME_NOT_FOUND,
  LSPS5_TOO_LONG,
  LSPS5_TOO_MANY_WEBHOOKS,
  LSPS5_UNSUPPORTED_PROTOCOL,
  LSPS5_URL_PARSE_ERROR,
} from '@jitlsp/shared/lsps5';
import { refuseHost } from '../../src/lsps5/destination.js';
import { checkLsps5Policy } from '../../src/lsps5/policy.js';
import { decideRemoveWebhook, decideSetWebhook, retentionPass } from '../../src/lsps5/webhook-book.js';
import { at, CLIENT_A, CLIENT_B, DAY_MS, makePolicy, makeWebhook, T0 } from './fixtures.js';

const req = (over: Partial<{ appName: string; webhook: string }> = {}) => ({
  clientNodeId: CLIENT_A,
  appName: 'My Wallet',
  webhook: 'https://push.example.org/lsps5?token=abc',
  ...over,
});
const screen = (url: URL) => refuseHost(url.hostname, { allowLoopback: false });

describe('lsps5.set_webhook decisions (bLIP-55)', () => {
  it('stores a new webhook and asks for webhook_registered (no_change false, counts it)', () => {
    const d = decideSetWebhook([], req(), T0, makePolicy());
    expect(d).to.deep.include({ kind: 'store', notify: true });
    if (d.kind !== 'store') return;
    expect(d.result).to.deep.equal({ numWebhooks: 1, maxWebhooks: 10, noChange: false });
    expect(d.webhook).to.deep.include({
      clientNodeId: CLIENT_A,
      appName: 'My Wallet',
      createdAt: T0,
      retainedFrom: T0,
    });
  });

  it('answers the same name and URL again with no_change true and no notification, refreshing retention', () => {
    const d = decideSetWebhook([makeWebhook()], req(), at(DAY_MS), makePolicy());
    expect(d).to.deep.include({ kind: 'store', notify: false });
    if (d.kind !== 'store') return;
    expect(d.result).to.deep.equal({ numWebhooks: 1, maxWebhooks: 10, noChange: true });
    expect(d.webhook.updatedAt).to.deep.equal(T0);
    expect(d.webhook.retainedFrom).to.deep.equal(at(DAY_MS));
  });

  it('replaces the URL under an existing name (no_change false, notifies the new URL, count unchanged)', () => {
    const d = decideSetWebhook([makeWebhook()], req({ webhook: 'https://push.example.org/new' }), at(5), makePolicy());
    expect(d.kind === 'store' && d.result).to.deep.equal({ numWebhooks: 1, maxWebhooks: 10, noChange: false });
    expect(d.kind === 'store' && d.notify).to.equal(true);
    expect(d.kind === 'store' && d.webhook.createdAt).to.deep.equal(T0);
  });

  it('refuses an 11th webhook with 503 too_many_webhooks, but still replaces one of the 10', () => {
    const ten = Array.from({ length: 10 }, (_, i) => makeWebhook({ appName: `app ${i}` }));
    const d = decideSetWebhook(ten, req({ appName: 'app 11' }), T0, makePolicy());
    expect(d).to.deep.include({ kind: 'refuse', code: LSPS5_TOO_MANY_WEBHOOKS });
    const replace = decideSetWebhook(ten, req({ appName: 'app 3', webhook: 'https://x.example/' }), T0, makePolicy());
    expect(replace.kind === 'store' && replace.result.numWebhooks).to.equal(10);
  });

  const refused: [string, Partial<{ appName: string; webhook: string }>, number | 'destination'][] = [
    ['an app_name of 65 bytes', { appName: 'x'.repeat(65) }, LSPS5_TOO_LONG],
    ['a webhook of 1025 characters', { webhook: 'https://push.example.org/' + 'a'.repeat(1000) }, LSPS5_TOO_LONG],
    ['an http:// URL', { webhook: 'http://push.example.org/x' }, LSPS5_UNSUPPORTED_PROTOCOL],
    ['a URL with credentials', { webhook: 'https://u:p@push.example.org/x' }, LSPS5_URL_PARSE_ERROR],
    ['a host that is 127.0.0.1', { webhook: 'https://127.0.0.1/x' }, 'destination'],
    ['a host that is 10.1.2.3', { webhook: 'https://10.1.2.3/x' }, 'destination'],
    ['the metadata address', { webhook: 'https://169.254.169.254/latest/meta-data' }, 'destination'],
    ['an IPv6 loopback host', { webhook: 'https://[::1]/x' }, 'destination'],
    ['localhost', { webhook: 'https://localhost:8443/x' }, 'destination'],
  ];
  for (const [what, over, code] of refused) {
    it(`refuses ${what} (${code})`, () => {
      expect(decideSetWebhook([], req(over), T0, makePolicy(), screen)).to.deep.include({ kind: 'refuse', code });
    });
  }

  it('lets localhost through when loopback is allowed (tests only)', () => {
    const d = decideSetWebhook([], req({ webhook: 'https://localhost:8443/x' }), T0, makePolicy(), (u) =>
      refuseHost(u.hostname, { allowLoopback: true }),
    );
    expect(d.kind).to.equal('store');
  });
});

describe('lsps5.remove_webhook decisions', () => {
  it('removes a registered name and refuses an unknown one with 1010 app_name_not_found', () => {
    expect(decideRemoveWebhook([makeWebhook()], 'My Wallet')).to.deep.equal({ kind: 'remove', appName: 'My Wallet' });
    expect(decideRemoveWebhook([makeWebhook()], 'Other')).to.deep.include({
      kind: 'refuse',
      code: LSPS5_APP_NAME_NOT_FOUND,
    });
  });
});

describe('webhook retention (bLIP-55: at least 7 days without a channel, indefinitely with one)', () => {
  const policy = makePolicy({ retentionMs: 30 * DAY_MS });

  it('keeps a client’s webhooks for the whole retention without a channel, and drops them after it', () => {
    const w = makeWebhook();
    expect(retentionPass([w], () => false, at(30 * DAY_MS), policy).expire).to.deep.equal([]);
    expect(retentionPass([w], () => false, at(30 * DAY_MS + 1), policy).expire).to.deep.equal([
      { clientNodeId: CLIENT_A, appName: 'My Wallet' },
    ]);
  });

  it('never drops webhooks of a client with a channel, and refreshes its mark once a day', () => {
    const old = makeWebhook({ retainedFrom: at(-400 * DAY_MS) });
    const fresh = makeWebhook({ clientNodeId: CLIENT_B, retainedFrom: at(-3600_000) });
    const pass = retentionPass([old, fresh], () => true, T0, policy);
    expect(pass.expire).to.deep.equal([]);
    expect(pass.refresh).to.deep.equal([CLIENT_A]);
  });

  it('refuses a retention that could keep webhooks less than 7 days after the last channel', () => {
    expect(() => checkLsps5Policy(makePolicy({ retentionMs: 7 * DAY_MS }))).to.throw(/retentionMs/);
    expect(() => checkLsps5Policy(makePolicy({ retentionMs: 8 * DAY_MS }))).not.to.throw();
    expect(() => checkLsps5Policy(makePolicy({ maxWebhooksPerClient: 0 }))).to.throw(/maxWebhooksPerClient/);
  });
});
