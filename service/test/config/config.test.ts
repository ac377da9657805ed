import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '../../src/config/config-error.js';
import { DEFAULTS, loadConfig, readConfig, startDirectory } from '../../src/config/config.js';
import { parseDatabaseUrl, redactDatabaseUrl } from '../../src/config/database-url.js';
import { parseFeeTiers, type FeeTierDefaults } from '../../src/config/fee-tiers.js';
import { PROMISE_SECRET_FILE, resolvePromiseSecret } from '../../src/config/promise-secret.js';
import { Secret } from '../../src/config/secret.js';

const CWD = '/srv/lsp';
const load = (env: Record<string, string>) => loadConfig(env, CWD);
function problems(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}
const TIER_DEFAULTS: FeeTierDefaults = {
  minLifetimeBlocks: 1008,
  maxClientToSelfDelayBlocks: 2016,
  minPaymentSizeMsat: 1000n,
  maxPaymentSizeMsat: 1_000_000_000n,
  validForSeconds: 600,
};

describe('service configuration from the environment', () => {
  describe('defaults', () => {
    it('runs with no configuration: regtest sandbox, SQLite in the data dir, loopback HTTP, one fee tier', () => {
      const c = load({});
      expect(c.network).to.equal('regtest');
      expect(c.chain).to.equal('sandbox');
      expect(c.dataDir).to.equal('/srv/lsp/jitlsp-data');
      expect(c.database).to.deep.equal({ kind: 'sqlite', path: '/srv/lsp/jitlsp-data/jitlsp.sqlite' });
      expect(c.http).to.deep.equal({ host: '127.0.0.1', port: DEFAULTS.httpPort });
      expect(c.p2p).to.deep.equal({ host: '127.0.0.1', port: 9735 });
      expect(c.lsps2.feeTiers).to.deep.equal([
        {
          minFeeMsat: 2_000_000n,
          proportionalPpm: 5000,
          minLifetimeBlocks: 1008,
          maxClientToSelfDelayBlocks: 2016,
          minPaymentSizeMsat: 10_000_000n,
          maxPaymentSizeMsat: 10_000_000_000n,
          validForSeconds: 3600,
        },
      ]);
      expect(c.lsps2.getInfoTokens).to.equal(undefined);
      expect(c.lsps2.trustModel).to.equal('lsp-trusts-client');
      expect(c.lsps2.mppCollectTimeoutSeconds).to.equal(90);
      expect(c.adminToken).to.equal(undefined);
      expect(c.promiseSecret).to.equal(undefined);
      expect(c.logLevel).to.equal('info');
    });

    it('resolves a relative data directory against the directory npm was started from (INIT_CWD)', () => {
      // npm runs the workspace script in service/; INIT_CWD is the repository root the user typed npm start in.
      expect(loadConfig({ INIT_CWD: '/home/op/jitlsp' }).dataDir).to.equal('/home/op/jitlsp/jitlsp-data');
      expect(loadConfig({ INIT_CWD: '/home/op/jitlsp', JITLSP_DATA_DIR: 'state/lsp' }).dataDir).to.equal(
        '/home/op/jitlsp/state/lsp',
      );
      expect(loadConfig({ INIT_CWD: '/home/op/jitlsp', JITLSP_DATA_DIR: '/var/lib/jitlsp' }).dataDir).to.equal(
        '/var/lib/jitlsp',
      );
      expect(startDirectory({ INIT_CWD: '/home/op/jitlsp' }, '/home/op/jitlsp/service')).to.equal('/home/op/jitlsp');
      // Without npm (or with a relative INIT_CWD, which npm never sets) the working directory applies.
      expect(startDirectory({}, '/srv/lsp')).to.equal('/srv/lsp');
      expect(startDirectory({ INIT_CWD: 'relative' }, '/srv/lsp')).to.equal('/srv/lsp');
    });

    it('treats an empty value as unset', () => {
      expect(load({ JITLSP_HTTP_PORT: '', DATABASE_URL: ' ' }).http.port).to.equal(DEFAULTS.httpPort);
    });

    it('documents every variable it reads in .env.example, with its default', () => {
      const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
      const documented = new Map(
        example
          .split('\n')
          .filter((l) => /^[A-Z0-9_]+=/.test(l))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
      );
      const { names } = readConfig({}, CWD);
      expect([...names].sort()).to.deep.equal([...documented.keys()].sort());
      // Loading the example as an environment gives the defaults (it documents them, it does not change them).
      const fromExample = readConfig(Object.fromEntries(documented), CWD).config;
      expect(inspect(fromExample, { depth: 9 })).to.equal(inspect(load({}), { depth: 9 }));
    });
  });

  describe('values', () => {
    it('reads every setting with its unit', () => {
      const c = load({
        JITLSP_DATA_DIR: '/var/lib/jitlsp',
        DATABASE_URL: 'postgres://lsp:pw@db.internal:5432/lsp',
        JITLSP_HTTP_PORT: '0',
        JITLSP_HTTP_HOST: '0.0.0.0',
        JITLSP_P2P_PORT: '19735',
        JITLSP_FEE_TIERS: '546000:1200,1092000:2400',
        JITLSP_FEE_PARAMS_VALIDITY_SECONDS: '900',
        JITLSP_CLTV_EXPIRY_DELTA_BLOCKS: '72',
        JITLSP_CLIENT_TRUSTS_LSP: 'true',
        JITLSP_MPP_COLLECT_TIMEOUT_SECONDS: '5',
        JITLSP_CHANNEL_OVERPROVISIONING_SAT: '0',
        JITLSP_GET_INFO_TOKENS: 'alpha, beta',
        JITLSP_ADMIN_TOKEN: 'x'.repeat(32),
        JITLSP_PROMISE_SECRET: 'ab'.repeat(32),
        JITLSP_LOG_LEVEL: 'DEBUG',
      });
      expect(c.dataDir).to.equal('/var/lib/jitlsp');
      expect(c.database).to.deep.equal({ kind: 'postgres', url: 'postgres://lsp:pw@db.internal:5432/lsp' });
      expect(c.http).to.deep.equal({ host: '0.0.0.0', port: 0 });
      expect(c.p2p.port).to.equal(19735);
      expect(c.lsps2.feeTiers.map((t) => [t.minFeeMsat, t.proportionalPpm, t.validForSeconds])).to.deep.equal([
        [546000n, 1200, 900],
        [1092000n, 2400, 900],
      ]);
      expect(c.lsps2.lspCltvExpiryDeltaBlocks).to.equal(72);
      expect(c.lsps2.clientTrustsLsp).to.equal(true);
      expect(c.lsps2.trustModel).to.equal('client-trusts-lsp');
      expect(c.lsps2.mppCollectTimeoutSeconds).to.equal(5);
      expect(c.channel.overprovisioningSat).to.equal(0n);
      expect(c.lsps2.getInfoTokens).to.deep.equal(['alpha', 'beta']);
      expect(c.adminToken!.reveal()).to.equal('x'.repeat(32));
      expect(Buffer.from(c.promiseSecret!.reveal()).toString('hex')).to.equal('ab'.repeat(32));
      expect(c.logLevel).to.equal('debug');
    });

    it('takes JSON fee tiers with per-tier overrides and global defaults for the rest', () => {
      const c = load({
        JITLSP_FEE_TIERS: JSON.stringify([
          { min_fee_msat: '546000', proportional: 1200, valid_for_seconds: 600 },
          { min_fee_msat: 1092000, proportional: 1200, max_payment_size_msat: '5000000000', min_lifetime: 4032 },
        ]),
      });
      expect(c.lsps2.feeTiers[0]).to.include({ minFeeMsat: 546000n, validForSeconds: 600, minLifetimeBlocks: 1008 });
      expect(c.lsps2.feeTiers[1]).to.include({
        minFeeMsat: 1092000n,
        maxPaymentSizeMsat: 5_000_000_000n,
        minLifetimeBlocks: 4032,
        validForSeconds: 3600,
      });
    });

    it('parses DATABASE_URL forms and redacts the password for logs', () => {
      expect(parseDatabaseUrl('sqlite:state.db', '/d')).to.deep.equal({ kind: 'sqlite', path: '/d/state.db' });
      expect(parseDatabaseUrl('sqlite:///abs/x.db', '/d')).to.deep.equal({ kind: 'sqlite', path: '/abs/x.db' });
      expect(parseDatabaseUrl('postgresql://u:p@h/db', '/d')).to.deep.equal({
        kind: 'postgres',
        url: 'postgresql://u:p@h/db',
      });
      expect(parseDatabaseUrl('mysql://u@h/db', '/d')).to.match(/scheme "mysql"/);
      expect(redactDatabaseUrl({ kind: 'postgres', url: 'postgres://u:hunter2@h:5432/db' })).to.equal(
        'postgres://u:***@h:5432/db',
      );
    });
  });

  describe('validation (every problem reported at once, naming the variable)', () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      [
        'a port out of range',
        { JITLSP_HTTP_PORT: '70000' },
        /^JITLSP_HTTP_PORT: expected an integer from 0 to 65535, got 70000$/,
      ],
      [
        'a port that is not a number',
        { JITLSP_P2P_PORT: '97x5' },
        /^JITLSP_P2P_PORT: expected an integer, got "97x5"$/,
      ],
      [
        'an unknown network',
        { JITLSP_NETWORK: 'mainnet' },
        /^JITLSP_NETWORK: expected one of regtest, testnet, testnet4, signet, bitcoin, got "mainnet"$/,
      ],
      [
        'bitcoind without an RPC URL',
        { JITLSP_CHAIN: 'bitcoind', JITLSP_NETWORK: 'signet' },
        /^JITLSP_BITCOIND_RPC_URL: is required with JITLSP_CHAIN=bitcoind/,
      ],
      [
        'a bitcoind URL without a password and no cookie file',
        { JITLSP_CHAIN: 'bitcoind', JITLSP_BITCOIND_RPC_URL: 'http://127.0.0.1:8332' },
        /^JITLSP_BITCOIND_RPC_URL: has no password: .* JITLSP_BITCOIND_RPC_COOKIE_FILE$/,
      ],
      [
        'a bitcoind URL that is not http',
        { JITLSP_CHAIN: 'bitcoind', JITLSP_BITCOIND_RPC_URL: 'ftp://u:p@127.0.0.1:8332' },
        /^JITLSP_BITCOIND_RPC_URL: expected http:\/\/ or https:\/\/, got ftp:$/,
      ],
      [
        'a chain poll interval of zero',
        { JITLSP_CHAIN_POLL_SECONDS: '0' },
        /^JITLSP_CHAIN_POLL_SECONDS: expected an integer from 1 to 3600, got 0$/,
      ],
      [
        'a non-regtest network on the sandbox chain',
        { JITLSP_NETWORK: 'bitcoin' },
        /^JITLSP_NETWORK: the sandbox chain .* regtest only/,
      ],
      ['an unsupported database', { DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected postgres:/],
      [
        'a negative amount',
        { JITLSP_MIN_PAYMENT_SIZE_MSAT: '-5' },
        /^JITLSP_MIN_PAYMENT_SIZE_MSAT: expected a whole number/,
      ],
      [
        'an amount above u64',
        { JITLSP_MAX_PAYMENT_SIZE_MSAT: '18446744073709551616' },
        /^JITLSP_MAX_PAYMENT_SIZE_MSAT: expected a whole number/,
      ],
      [
        'min payment above max',
        { JITLSP_MIN_PAYMENT_SIZE_MSAT: '9', JITLSP_MAX_PAYMENT_SIZE_MSAT: '8' },
        /^JITLSP_MIN_PAYMENT_SIZE_MSAT: 9 is above/,
      ],
      [
        'a bad boolean',
        { JITLSP_CLIENT_TRUSTS_LSP: 'maybe' },
        /^JITLSP_CLIENT_TRUSTS_LSP: expected true or false, got "maybe"$/,
      ],
      ['a bad log level', { JITLSP_LOG_LEVEL: 'loud' }, /^JITLSP_LOG_LEVEL: expected one of trace, debug/],
      [
        'a short admin token',
        { JITLSP_ADMIN_TOKEN: 'short' },
        /^JITLSP_ADMIN_TOKEN: expected at least 16 characters, got 5$/,
      ],
      [
        'a malformed promise secret',
        { JITLSP_PROMISE_SECRET: 'zz' },
        /^JITLSP_PROMISE_SECRET: expected 64 hex characters \(32 bytes\), got 2 characters$/,
      ],
      [
        'a cltv delta below 18',
        { JITLSP_CLTV_EXPIRY_DELTA_BLOCKS: '6' },
        /^JITLSP_CLTV_EXPIRY_DELTA_BLOCKS: expected an integer from 18 to 2016, got 6$/,
      ],
      [
        'an oversized message limit',
        { JITLSP_MAX_MESSAGE_BYTES: '70000' },
        /^JITLSP_MAX_MESSAGE_BYTES: expected an integer from 64 to 65533/,
      ],
      [
        'a tier larger than the largest channel',
        { JITLSP_MAX_CHANNEL_SIZE_SAT: '100000' },
        /^JITLSP_FEE_TIERS: tier 0: max_payment_size_msat 10000000000 exceeds/,
      ],
      [
        'per-peer onion mailbox above the total',
        { JITLSP_ONION_MAILBOX_MAX_PER_PEER: '20', JITLSP_ONION_MAILBOX_MAX_TOTAL: '10' },
        /^JITLSP_ONION_MAILBOX_MAX_PER_PEER: is above/,
      ],
    ];
    for (const [what, env, message] of cases) {
      it(`rejects ${what}`, () => {
        const found = problems(env);
        expect(
          found.some((p) => message.test(p)),
          found.join('\n'),
        ).to.equal(true);
      });
    }

    it('lists several problems in one error', () => {
      const found = problems({ JITLSP_HTTP_PORT: 'x', JITLSP_NETWORK: 'moon', JITLSP_FEE_TIERS: 'bad' });
      expect(found).to.have.length(3);
      expect(() => load({ JITLSP_HTTP_PORT: 'x' })).to.throw(
        ConfigError,
        /configuration: 1 problem\(s\):\n {2}- JITLSP_HTTP_PORT/,
      );
    });

    it('takes a bitcoind chain on any network, keeping the RPC URL (with its password) as a Secret', () => {
      const c = load({
        JITLSP_CHAIN: 'bitcoind',
        JITLSP_NETWORK: 'testnet4',
        JITLSP_BITCOIND_RPC_URL: 'http://lsp:rpc-pass@10.0.0.2:48332',
        JITLSP_CHAIN_POLL_SECONDS: '5',
      });
      expect(c).to.include({ chain: 'bitcoind', network: 'testnet4' });
      expect(c.bitcoind!.rpcUrl.reveal()).to.equal('http://lsp:rpc-pass@10.0.0.2:48332');
      expect(c.bitcoind!.pollSeconds).to.equal(5);
      expect(JSON.stringify(c.bitcoind)).to.not.include('rpc-pass');
      const cookie = load({
        JITLSP_CHAIN: 'bitcoind',
        JITLSP_BITCOIND_RPC_URL: 'http://127.0.0.1:18443',
        JITLSP_BITCOIND_RPC_COOKIE_FILE: 'bitcoind/.cookie',
      });
      expect(cookie.bitcoind!.cookieFile).to.equal('/srv/lsp/bitcoind/.cookie');
    });

    it('never echoes a bitcoind URL that does not parse (it may carry the password)', () => {
      const found = problems({ JITLSP_CHAIN: 'bitcoind', JITLSP_BITCOIND_RPC_URL: 'http://u:sekret@[bad' });
      expect(found.join('\n')).to.include('JITLSP_BITCOIND_RPC_URL').and.not.include('sekret');
    });

    it('never echoes the promise secret or admin token in a problem', () => {
      const secretish = 'g'.repeat(64);
      const found = problems({ JITLSP_PROMISE_SECRET: secretish, JITLSP_ADMIN_TOKEN: 'tooshort!' });
      expect(found.join('\n')).to.not.include(secretish).and.not.include('tooshort!');
    });
  });

  describe('fee tiers (bLIP-52 menu order)', () => {
    const tiers = (text: string) => parseFeeTiers('T', text, TIER_DEFAULTS);
    it('accepts a larger min fee with equal proportional, a larger proportional with equal min fee, or both larger', () => {
      expect(tiers('100:10,200:10,200:20,300:30').problems).to.deep.equal([]);
    });
    it('rejects equal neighbours, a decrease in either field, or one up and one down', () => {
      for (const bad of ['100:10,100:10', '200:10,100:10', '100:20,100:10', '100:20,200:10']) {
        expect(tiers(bad).problems, bad).to.have.length(1);
        expect(tiers(bad).problems[0]).to.match(/^T\[1\]: tiers must strictly increase/);
      }
    });
    it('names the item of a malformed compact tier', () => {
      expect(tiers('100:10,abc').problems).to.deep.equal([
        'T[1]: expected <min_fee_msat>:<proportional_ppm> (whole numbers), got "abc"',
      ]);
      expect(tiers('1:4294967296').problems[0]).to.match(/^T\[0\]/);
    });
    it('names the field of a malformed JSON tier and rejects unknown fields', () => {
      expect(tiers('[{"min_fee_msat":"1.5","proportional":1}]').problems[0]).to.match(
        /^T\[0\]\.min_fee_msat: expected a whole number/,
      );
      expect(tiers('[{"min_fee_msat":"1","proportional":-1}]').problems[0]).to.match(
        /^T\[0\]\.proportional: expected an integer from 0/,
      );
      expect(tiers('[{"min_fee_msat":"1","proportional":1,"promise":"x"}]').problems[0]).to.match(
        /^T\[0\]: unknown field\(s\) promise/,
      );
      expect(tiers('[{').problems[0]).to.match(/^T: expected a JSON array of fee tiers, got invalid JSON/);
      expect(tiers('{"a":1}').problems[0]).to.match(/^T: expected/);
    });
    it('rejects a tier whose minimum payment is above its maximum', () => {
      expect(
        tiers('[{"min_fee_msat":"1","proportional":1,"min_payment_size_msat":"10","max_payment_size_msat":"9"}]')
          .problems[0],
      ).to.match(/min_payment_size_msat 10 is above max_payment_size_msat 9/);
    });
    it('allows an empty JSON menu (the LSP then sells no JIT channels)', () => {
      expect(tiers('[]')).to.deep.equal({ tiers: [], problems: [] });
    });
  });

  describe('secrets', () => {
    it('never prints a Secret through JSON, string conversion or inspect', () => {
      const c = load({ JITLSP_ADMIN_TOKEN: 'supersecretadmintoken', JITLSP_PROMISE_SECRET: 'cd'.repeat(32) });
      const text =
        JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) +
        inspect(c, { depth: 9 }) +
        String(c.adminToken);
      expect(text).to.not.include('supersecretadmintoken');
      expect(text).to.not.include('cdcdcdcd');
      expect(text).to.include('[redacted]');
    });

    describe('promise secret file', () => {
      let dir: string;
      beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jitlsp-cfg-'))));
      afterEach(() => rmSync(dir, { recursive: true, force: true }));

      it('generates the promise secret into the data dir with mode 0600 on first start, then reuses it', () => {
        const first = resolvePromiseSecret({ dataDir: join(dir, 'sub'), promiseSecret: undefined }, (n) =>
          new Uint8Array(n).fill(7),
        );
        expect(first.source).to.equal('generated');
        expect(first.secret.reveal()).to.deep.equal(new Uint8Array(32).fill(7));
        const path = join(dir, 'sub', PROMISE_SECRET_FILE);
        expect(statSync(path).mode & 0o777).to.equal(0o600);
        const again = resolvePromiseSecret({ dataDir: join(dir, 'sub'), promiseSecret: undefined }, () => {
          throw new Error('must not generate twice');
        });
        expect(again.source).to.equal('file');
        expect(again.secret.reveal()).to.deep.equal(new Uint8Array(32).fill(7));
      });

      it('prefers JITLSP_PROMISE_SECRET over the file', () => {
        const s = new Secret(new Uint8Array(32).fill(1));
        expect(resolvePromiseSecret({ dataDir: dir, promiseSecret: s })).to.deep.equal({
          secret: s,
          source: 'environment',
        });
      });

      it('refuses a corrupted secret file, naming it, without printing its content', () => {
        writeFileSync(join(dir, PROMISE_SECRET_FILE), 'not-hex-at-all');
        expect(() => resolvePromiseSecret({ dataDir: dir, promiseSecret: undefined })).to.throw(
          /promise-secret: expected 64 hex characters \(the 32-byte promise secret\), got 14 characters$/,
        );
      });
    });
  });
});
