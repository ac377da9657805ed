import { expect } from 'chai';
import { JSONRPC_INVALID_PARAMS } from '../../src/lsps0/index.js';
import {
  LSPS5_APP_NAME_NOT_FOUND,
  LSPS5_TOO_LONG,
  LSPS5_TOO_MANY_WEBHOOKS,
  LSPS5_UNSUPPORTED_PROTOCOL,
  LSPS5_URL_PARSE_ERROR,
  appNameBytes,
  checkWebhookUrl,
  isAppNameTooLong,
  listWebhooksResultToWire,
  lsps5ErrorName,
  lsps5ErrorObject,
  parseListWebhooksParams,
  parseListWebhooksResult,
  parseRemoveWebhookParams,
  parseSetWebhookParams,
  parseSetWebhookResult,
  removeWebhookParamsToWire,
  setWebhookParamsToWire,
  setWebhookResultToWire,
} from '../../src/lsps5/index.js';
import { BLIP55, blip55Example as example } from './vectors.js';

describe('bLIP-55 JSON examples (vectors/blip-0055-examples.json)', () => {
  it('has exactly the five LSPS5 examples this file tests', () => {
    expect(BLIP55.cases.map((c) => c.fence_line)).to.deep.equal([116, 206, 261, 275, 322]);
  });

  it('L116: set_webhook params parse and serialise back equal, and the URL passes the rules', () => {
    const r = parseSetWebhookParams(example(116));
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value.appName).to.equal('My LSPS-Compliant Lightning Client');
    expect(setWebhookParamsToWire(r.value)).to.deep.equal(example(116));
    expect(checkWebhookUrl(r.value.webhook).ok).to.equal(true);
  });

  it('L206 and L261: the results parse and serialise back equal', () => {
    expect(setWebhookResultToWire(parseSetWebhookResult(example(206)))).to.deep.equal(example(206));
    expect(listWebhooksResultToWire(parseListWebhooksResult(example(261)))).to.deep.equal(example(261));
  });

  it('L275: remove_webhook params parse and serialise back equal', () => {
    const r = parseRemoveWebhookParams(example(275));
    expect(r.ok && removeWebhookParamsToWire(r.value)).to.deep.equal(example(275));
  });
});

describe('LSPS5 params (bLIP-50 -32602 rules)', () => {
  it('refuses set_webhook without a webhook, with a non-string name, or with an unknown param', () => {
    const missing = parseSetWebhookParams({ app_name: 'a' });
    expect(!missing.ok && missing.error.code).to.equal(JSONRPC_INVALID_PARAMS);
    expect(!missing.ok && missing.error.data).to.deep.equal({ unrecognized: [], invalid: ['webhook'] });
    const wrongType = parseSetWebhookParams({ app_name: 5, webhook: 'https://x.example' });
    expect(!wrongType.ok && wrongType.error.data).to.deep.equal({ unrecognized: [], invalid: ['app_name'] });
    const extra = parseSetWebhookParams({ app_name: 'a', webhook: 'https://x.example', colour: 'red' });
    expect(!extra.ok && extra.error.data).to.deep.equal({ unrecognized: ['colour'] });
  });

  it('refuses list_webhooks with any param and remove_webhook without app_name', () => {
    expect(parseListWebhooksParams({}).ok).to.equal(true);
    expect(parseListWebhooksParams({ x: 1 }).ok).to.equal(false);
    expect(parseRemoveWebhookParams({}).ok).to.equal(false);
  });

  it('client side: refuses a result whose numbers are not unsigned integers', () => {
    expect(() => parseSetWebhookResult({ num_webhooks: -1, max_webhooks: 4, no_change: false })).to.throw(
      /num_webhooks/,
    );
    expect(() => parseListWebhooksResult({ app_names: [1], max_webhooks: 4 })).to.throw(/app_names\[0\]/);
  });
});

describe('LSPS5 error objects', () => {
  it('names each code as bLIP-55 does, and 503 carries data.max_webhooks', () => {
    expect(lsps5ErrorObject(LSPS5_TOO_LONG)).to.deep.equal({ code: 500, message: 'too_long' });
    expect(lsps5ErrorObject(LSPS5_TOO_MANY_WEBHOOKS, 10)).to.deep.equal({
      code: 503,
      message: 'too_many_webhooks',
      data: { max_webhooks: 10 },
    });
    expect(lsps5ErrorName(LSPS5_APP_NAME_NOT_FOUND)).to.equal('app_name_not_found');
    expect(() => lsps5ErrorObject(LSPS5_TOO_MANY_WEBHOOKS)).to.throw(RangeError);
  });
});

describe('app_name length (bLIP-55: at most 64 bytes of UTF-8, escapes counted)', () => {
  const cases: [string, string, number][] = [
    ['plain ASCII', 'a'.repeat(64), 64],
    ['a quote counts as its escape (2 bytes)', '"', 2],
    ['NUL counts as \\u0000 (6 bytes)', '\u0000', 6],
    ['a two-byte UTF-8 letter', 'é', 2],
  ];
  for (const [what, name, bytes] of cases) it(`counts ${what}`, () => expect(appNameBytes(name)).to.equal(bytes));

  it('accepts 64 bytes and refuses 65', () => {
    expect(isAppNameTooLong('a'.repeat(64))).to.equal(false);
    expect(isAppNameTooLong('a'.repeat(63) + 'é')).to.equal(true);
  });
});

describe('webhook URL rules (bLIP-55: ASCII URL, at most 1024 characters, https)', () => {
  const refused: [string, string, number][] = [
    ['http://', 'http://push.example.org/x', LSPS5_UNSUPPORTED_PROTOCOL],
    ['another scheme', 'ftp://push.example.org/x', LSPS5_UNSUPPORTED_PROTOCOL],
    ['credentials', 'https://user:pw@push.example.org/x', LSPS5_URL_PARSE_ERROR],
    ['a user name alone', 'https://user@push.example.org/x', LSPS5_URL_PARSE_ERROR],
    ['not a URL', 'push.example.org/x', LSPS5_URL_PARSE_ERROR],
    ['a space', 'https://push.example.org/a b', LSPS5_URL_PARSE_ERROR],
    ['an IRI (non-ASCII)', 'https://püsh.example.org/x', LSPS5_URL_PARSE_ERROR],
    ['1025 characters', 'https://push.example.org/' + 'a'.repeat(1025 - 25), LSPS5_TOO_LONG],
  ];
  for (const [what, url, code] of refused) {
    it(`refuses ${what} with ${code}`, () => {
      const r = checkWebhookUrl(url);
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.code).to.equal(code);
    });
  }

  it('accepts 1024 characters of https URL with a port and a query', () => {
    const url = 'https://push.example.org:8443/p?t=' + 'a'.repeat(1024 - 34);
    expect(url).to.have.length(1024);
    expect(checkWebhookUrl(url).ok).to.equal(true);
  });
});
