import { expect } from 'chai';
import { Lsps5Client, webhookUri, type Lsps0Caller } from '../../src/lsps5/client.js';
import { Lsps2ClientError } from '../../src/lsps2/errors.js';

/** Records what would go to the LSP; answers like an LSP would (these tests check the client's own rules). */
function caller(result: Record<string, unknown> = { num_webhooks: 1, max_webhooks: 10, no_change: false }) {
  const sent: { method: string; params: Record<string, unknown> }[] = [];
  const c: Lsps0Caller = {
    request: async (method, params) => {
      sent.push({ method, params });
      return result;
    },
  };
  return { c, sent };
}

describe('Lsps5Client (bLIP-55 client rules)', () => {
  it('sends set_webhook with app_name and webhook, and reads the result', async () => {
    const { c, sent } = caller();
    const r = await new Lsps5Client(c).setWebhook('My Wallet', 'https://push.example.org/p?t=1');
    expect(r).to.deep.equal({ numWebhooks: 1, maxWebhooks: 10, noChange: false });
    expect(sent).to.deep.equal([
      { method: 'lsps5.set_webhook', params: { app_name: 'My Wallet', webhook: 'https://push.example.org/p?t=1' } },
    ]);
  });

  it('converts an IRI to a URI before sending (RFC 3987 §3.1)', async () => {
    const { c, sent } = caller();
    await new Lsps5Client(c).setWebhook('w', 'https://püsh.example.org/ä');
    expect(sent[0]!.params.webhook).to.equal('https://xn--psh-hoa.example.org/%C3%A4');
    expect(webhookUri('not a url')).to.equal('not a url');
  });

  for (const [what, name, url] of [
    ['an http:// webhook', 'w', 'http://push.example.org/'],
    ['credentials in the webhook', 'w', 'https://a:b@push.example.org/'],
    ['an app_name over 64 bytes', 'x'.repeat(65), 'https://push.example.org/'],
  ] as const) {
    it(`refuses ${what} without asking the LSP`, async () => {
      const { c, sent } = caller();
      const e = await new Lsps5Client(c).setWebhook(name, url).catch((x: unknown) => x);
      expect(e).to.be.instanceOf(Lsps2ClientError);
      expect((e as Lsps2ClientError).kind).to.equal('refused');
      expect(sent).to.have.length(0);
    });
  }

  it('refuses a malformed list result as invalid-response', async () => {
    const { c } = caller({ app_names: 'x', max_webhooks: 1 });
    const e = await new Lsps5Client(c).listWebhooks().catch((x: unknown) => x);
    expect((e as Lsps2ClientError).kind).to.equal('invalid-response');
  });
});
