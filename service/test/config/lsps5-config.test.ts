import { expect } from 'chai';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/config.js';

const load = (env: Record<string, string>) => loadConfig(env, '/tmp');

describe('LSPS5 configuration', () => {
  it('defaults to 10 webhooks, a 60 s cooldown, 30 days of retention, and no local webhooks', () => {
    expect(load({}).lsps5).to.deep.equal({
      maxWebhooksPerClient: 10,
      cooldownSeconds: 60,
      retentionDays: 30,
      allowLocalWebhooks: false,
      extraCaCertsFile: undefined,
      deliveryTimeoutSeconds: 10,
      maxQueuedNotifications: 10_000,
      maxConcurrentDeliveries: 16,
    });
  });

  it('reads the test flag and Node’s NODE_EXTRA_CA_CERTS', () => {
    const c = load({ JITLSP_LSPS5_ALLOW_LOCAL_WEBHOOKS: 'true', NODE_EXTRA_CA_CERTS: '/etc/jitlsp/push-ca.pem' });
    expect(c.lsps5.allowLocalWebhooks).to.equal(true);
    expect(c.lsps5.extraCaCertsFile).to.equal('/etc/jitlsp/push-ca.pem');
  });

  it('refuses a retention under 8 days (bLIP-55 keeps webhooks 7 days after the last channel)', () => {
    expect(() => load({ JITLSP_LSPS5_RETENTION_DAYS: '7' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/JITLSP_LSPS5_RETENTION_DAYS/);
  });
});
