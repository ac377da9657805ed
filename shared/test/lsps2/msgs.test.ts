import { expect } from 'chai';
import { JSONRPC_INVALID_PARAMS, Lsps0FormatError } from '../../src/lsps0/index.js';
import {
  LSPS2_INVALID_OPENING_FEE_PARAMS,
  MAX_PROMISE_BYTES,
  assertPromiseFormat,
  buyParamsToWire,
  buyResultToWire,
  getInfoParamsToWire,
  getInfoResultToWire,
  lsps2ErrorName,
  lsps2ErrorObject,
  openingFeeParamsToWire,
  parseBuyParams,
  parseBuyResult,
  parseGetInfoParams,
  parseGetInfoResult,
  parseOpeningFeeParams,
} from '../../src/lsps2/index.js';
import { makeWireParams } from './fixtures.js';

describe('opening_fee_params (bLIP-52: exactly 8 fields)', () => {
  it('reads the valid case into typed values', () => {
    const p = parseOpeningFeeParams(makeWireParams(), 'p');
    expect(p).to.deep.include({
      minFeeMsat: 546000n,
      proportional: 1200,
      minLifetime: 1008,
      maxClientToSelfDelay: 2016,
      minPaymentSizeMsat: 1000n,
      maxPaymentSizeMsat: 1_000_000_000n,
      promise: 'abcdefghijklmnopqrstuvwxyz',
    });
    expect(p.validUntil.text).to.equal('2030-01-01T12:10:00.000Z');
  });

  it('writes back exactly what it read, valid_until text included', () => {
    const wire = makeWireParams({ valid_until: '2030-01-01T12:10:00.123456789Z' });
    expect(openingFeeParamsToWire(parseOpeningFeeParams(wire, 'p'))).to.deep.equal(wire);
  });

  it('accepts a promise of exactly 512 bytes', () => {
    expect(parseOpeningFeeParams(makeWireParams({ promise: 'a'.repeat(512) }), 'p').promise).to.have.length(512);
  });

  const malformed: [string, Record<string, unknown>, RegExp][] = [
    ['an unrecognised field (the client MUST abort)', { extra: 1 }, /unrecognised field "extra"/],
    ['an unrecognised field with a prototype name', { __proto__x: 1, constructor: 1 }, /unrecognised field/],
    ['a missing min_fee_msat', { min_fee_msat: undefined }, /p\.min_fee_msat: expected LSPS0\.msat/],
    ['a missing proportional', { proportional: undefined }, /p\.proportional: expected/],
    ['a missing valid_until', { valid_until: undefined }, /p\.valid_until: expected LSPS0\.datetime/],
    ['a missing min_lifetime', { min_lifetime: undefined }, /p\.min_lifetime: expected/],
    [
      'a missing max_client_to_self_delay',
      { max_client_to_self_delay: undefined },
      /p\.max_client_to_self_delay: expected/,
    ],
    ['a missing min_payment_size_msat', { min_payment_size_msat: undefined }, /p\.min_payment_size_msat: expected/],
    ['a missing max_payment_size_msat', { max_payment_size_msat: undefined }, /p\.max_payment_size_msat: expected/],
    ['a missing promise', { promise: undefined }, /p\.promise: expected a string/],
    ['min_fee_msat as a JSON number', { min_fee_msat: 546000 }, /p\.min_fee_msat/],
    ['min_fee_msat negative', { min_fee_msat: '-1' }, /p\.min_fee_msat/],
    ['min_fee_msat over u64', { min_fee_msat: '18446744073709551616' }, /p\.min_fee_msat/],
    ['min_payment_size_msat with a plus sign', { min_payment_size_msat: '+1000' }, /p\.min_payment_size_msat/],
    ['max_payment_size_msat with whitespace', { max_payment_size_msat: '1000 ' }, /p\.max_payment_size_msat/],
    ['proportional as a string', { proportional: '1200' }, /p\.proportional: expected LSPS0\.ppm/],
    ['proportional fractional', { proportional: 12.5 }, /p\.proportional/],
    ['proportional negative', { proportional: -1 }, /p\.proportional/],
    ['proportional over u32', { proportional: 4294967296 }, /p\.proportional/],
    ['min_lifetime null', { min_lifetime: null }, /p\.min_lifetime/],
    ['max_client_to_self_delay as a string', { max_client_to_self_delay: '2016' }, /p\.max_client_to_self_delay/],
    ['valid_until as a Unix timestamp', { valid_until: 1893499800 }, /p\.valid_until/],
    ['valid_until with an offset', { valid_until: '2030-01-01T12:10:00+01:00' }, /p\.valid_until/],
    ['a promise that is a number', { promise: 5 }, /p\.promise: expected a string/],
    [
      'a promise of 513 bytes (the client MUST abort)',
      { promise: 'a'.repeat(513) },
      /p\.promise: expected at most 512 bytes, got 513/,
    ],
    [
      'a promise under 512 characters but over 512 UTF-8 bytes',
      { promise: 'é'.repeat(300) },
      /at most 512 bytes, got 600/,
    ],
    ['a promise whose JSON escapes push it over 512 bytes', { promise: '"'.repeat(300) }, /at most 512 bytes, got 600/],
  ];
  for (const [what, overrides, message] of malformed) {
    it(`rejects ${what}`, () => {
      expect(() => parseOpeningFeeParams(makeWireParams(overrides), 'p')).to.throw(Lsps0FormatError, message);
    });
  }

  it('rejects a menu entry that is not an object', () => {
    expect(() => parseOpeningFeeParams([], 'p')).to.throw(Lsps0FormatError, /p: expected an object/);
    expect(() => parseOpeningFeeParams('x', 'p')).to.throw(Lsps0FormatError, /p: expected an object/);
  });

  it('holds the LSP to printable ASCII without escapes when it makes a promise', () => {
    expect(assertPromiseFormat('ab12-_.~')).to.equal('ab12-_.~');
    expect(() => assertPromiseFormat('a"b')).to.throw(RangeError);
    expect(() => assertPromiseFormat('a\\b')).to.throw(RangeError);
    expect(() => assertPromiseFormat('a\nb')).to.throw(RangeError);
    expect(() => assertPromiseFormat('café')).to.throw(RangeError);
    expect(() => assertPromiseFormat('a'.repeat(MAX_PROMISE_BYTES + 1))).to.throw(RangeError);
  });
});

describe('lsps2.get_info params and result', () => {
  it('reads no token, a token, and a null token', () => {
    expect(parseGetInfoParams({})).to.deep.equal({ ok: true, value: {} });
    expect(parseGetInfoParams({ token: 'T' })).to.deep.equal({ ok: true, value: { token: 'T' } });
    expect(parseGetInfoParams({ token: null })).to.deep.equal({ ok: true, value: {} });
  });

  const badParams: [string, Record<string, unknown>, string[], string[]][] = [
    ['an unknown param', { tokn: 'x' }, ['tokn'], []],
    ['two unknown params beside a token', { token: 'x', a: 1, b: 2 }, ['a', 'b'], []],
    ['a numeric token', { token: 5 }, [], ['token']],
    ['an object token', { token: {} }, [], ['token']],
    ['an array token', { token: ['x'] }, [], ['token']],
  ];
  for (const [what, params, unrecognized, invalid] of badParams) {
    it(`answers ${what} with -32602 (unrecognized ${JSON.stringify(unrecognized)})`, () => {
      const r = parseGetInfoParams(params);
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.error.code).to.equal(JSONRPC_INVALID_PARAMS);
      expect(r.error.data?.unrecognized).to.deep.equal(unrecognized);
      if (invalid.length) expect(r.error.data?.invalid).to.deep.equal(invalid);
    });
  }

  it('writes the client params', () => {
    expect(getInfoParamsToWire({})).to.deep.equal({});
    expect(getInfoParamsToWire({ token: 't' })).to.deep.equal({ token: 't' });
  });

  it('reads an empty menu (bLIP-52: the LSP MAY return one)', () => {
    expect(parseGetInfoResult({ opening_fee_params_menu: [] })).to.deep.equal({ openingFeeParamsMenu: [] });
  });

  it('ignores unknown result keys but aborts on an unknown key inside a menu entry', () => {
    expect(
      parseGetInfoResult({ opening_fee_params_menu: [makeWireParams()], future: true }).openingFeeParamsMenu,
    ).to.have.length(1);
    expect(() =>
      parseGetInfoResult({ opening_fee_params_menu: [makeWireParams(), makeWireParams({ fee_base: '1' })] }),
    ).to.throw(Lsps0FormatError, /opening_fee_params_menu\[1\]: expected only the 8 opening_fee_params fields/);
  });

  it('rejects a result without a menu array', () => {
    expect(() => parseGetInfoResult({})).to.throw(/opening_fee_params_menu: expected an array/);
    expect(() => parseGetInfoResult({ opening_fee_params_menu: {} })).to.throw(/expected an array/);
    expect(() => parseGetInfoResult(null)).to.throw(/result: expected an object/);
  });

  it('round-trips a menu through the LSP writer and the client reader', () => {
    const menu = [
      parseOpeningFeeParams(makeWireParams(), 'm'),
      parseOpeningFeeParams(makeWireParams({ min_fee_msat: '600000' }), 'm'),
    ];
    const wire = getInfoResultToWire({ openingFeeParamsMenu: menu });
    expect(parseGetInfoResult(JSON.parse(JSON.stringify(wire)))).to.deep.equal({ openingFeeParamsMenu: menu });
  });
});

/** One valid buy, plus overrides; `undefined` deletes a key. */
function makeBuy(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { opening_fee_params: makeWireParams(), payment_size_msat: '42000000' };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

describe('lsps2.buy params (LSP side)', () => {
  it('reads a fixed-size buy', () => {
    const r = parseBuyParams(makeBuy());
    expect(r.ok && r.value.paymentSizeMsat).to.equal(42_000_000n);
  });

  it('reads a variable-size buy, with payment_size_msat absent or null', () => {
    for (const b of [makeBuy({ payment_size_msat: undefined }), makeBuy({ payment_size_msat: null })]) {
      const r = parseBuyParams(b);
      expect(r.ok).to.equal(true);
      expect(r.ok && 'paymentSizeMsat' in r.value).to.equal(false);
    }
  });

  const invalidParams: [string, Record<string, unknown>, string[], string[]][] = [
    ['an unknown param', makeBuy({ token: 'x' }), ['token'], []],
    ['a misspelt payment size', makeBuy({ payment_size: '1' }), ['payment_size'], []],
    ['no opening_fee_params', makeBuy({ opening_fee_params: undefined }), [], ['opening_fee_params']],
    ['opening_fee_params as null', makeBuy({ opening_fee_params: null }), [], ['opening_fee_params']],
    ['opening_fee_params as an array', makeBuy({ opening_fee_params: [makeWireParams()] }), [], ['opening_fee_params']],
    [
      'opening_fee_params as a string',
      makeBuy({ opening_fee_params: JSON.stringify(makeWireParams()) }),
      [],
      ['opening_fee_params'],
    ],
    ['payment_size_msat as a number', makeBuy({ payment_size_msat: 42000 }), [], ['payment_size_msat']],
    ['payment_size_msat negative', makeBuy({ payment_size_msat: '-42000' }), [], ['payment_size_msat']],
    ['payment_size_msat with a fraction', makeBuy({ payment_size_msat: '42000.5' }), [], ['payment_size_msat']],
    ['payment_size_msat over u64', makeBuy({ payment_size_msat: '99999999999999999999' }), [], ['payment_size_msat']],
    ['payment_size_msat empty', makeBuy({ payment_size_msat: '' }), [], ['payment_size_msat']],
    ['payment_size_msat as a boolean', makeBuy({ payment_size_msat: true }), [], ['payment_size_msat']],
  ];
  for (const [what, params, unrecognized, invalid] of invalidParams) {
    it(`answers ${what} with -32602`, () => {
      const r = parseBuyParams(params);
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.error.code).to.equal(JSONRPC_INVALID_PARAMS);
      expect(r.error.data).to.deep.equal(invalid.length ? { unrecognized, invalid } : { unrecognized });
    });
  }

  const invalidOpeningFeeParams: [string, Record<string, unknown>][] = [
    ['an extra field', makeWireParams({ extra: 'x' })],
    ['a missing promise', makeWireParams({ promise: undefined })],
    ['a promise over 512 bytes', makeWireParams({ promise: 'p'.repeat(600) })],
    ['a malformed valid_until', makeWireParams({ valid_until: 'tomorrow' })],
    ['min_fee_msat as a number', makeWireParams({ min_fee_msat: 1 })],
    ['a negative proportional', makeWireParams({ proportional: -5 })],
    ['an empty object', {}],
  ];
  for (const [what, ofp] of invalidOpeningFeeParams) {
    it(`answers opening_fee_params with ${what} with 201 invalid_opening_fee_params`, () => {
      const r = parseBuyParams(makeBuy({ opening_fee_params: ofp }));
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.error).to.deep.equal({ code: LSPS2_INVALID_OPENING_FEE_PARAMS, message: 'invalid_opening_fee_params' });
      expect(r.reason).to.match(/^lsps2\.buy\/opening_fee_params/);
    });
  }

  it('writes the client params echoing the chosen params', () => {
    const r = parseBuyParams(makeBuy());
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(buyParamsToWire(r.value)).to.deep.equal(makeBuy());
  });
});

describe('lsps2.buy result', () => {
  it('reads a result and defaults client_trusts_lsp to false', () => {
    expect(parseBuyResult({ jit_channel_scid: '1x2x3', lsp_cltv_expiry_delta: 144 })).to.deep.equal({
      jitChannelScid: (1n << 40n) | (2n << 16n) | 3n,
      lspCltvExpiryDelta: 144,
      clientTrustsLsp: false,
    });
    expect(
      parseBuyResult({ jit_channel_scid: '1x2x3', lsp_cltv_expiry_delta: 144, client_trusts_lsp: true })
        .clientTrustsLsp,
    ).to.equal(true);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a numeric scid', { jit_channel_scid: 12345, lsp_cltv_expiry_delta: 144 }, /jit_channel_scid/],
    ['a malformed scid', { jit_channel_scid: '1x2', lsp_cltv_expiry_delta: 144 }, /jit_channel_scid/],
    ['a missing delta', { jit_channel_scid: '1x2x3' }, /lsp_cltv_expiry_delta/],
    ['a delta over u16', { jit_channel_scid: '1x2x3', lsp_cltv_expiry_delta: 70000 }, /lsp_cltv_expiry_delta/],
    ['a string delta', { jit_channel_scid: '1x2x3', lsp_cltv_expiry_delta: '144' }, /lsp_cltv_expiry_delta/],
    [
      'a string client_trusts_lsp',
      { jit_channel_scid: '1x2x3', lsp_cltv_expiry_delta: 144, client_trusts_lsp: 'false' },
      /client_trusts_lsp/,
    ],
  ];
  for (const [what, result, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => parseBuyResult(result)).to.throw(Lsps0FormatError, message);
    });
  }

  it('refuses to write a delta that does not fit a route hint (u16)', () => {
    expect(() => buyResultToWire({ jitChannelScid: 1n, lspCltvExpiryDelta: 65536, clientTrustsLsp: false })).to.throw(
      RangeError,
    );
  });
});

describe('LSPS2 error objects', () => {
  it('name each code as the spec does, with no data', () => {
    expect(lsps2ErrorObject(200)).to.deep.equal({ code: 200, message: 'unrecognized_or_stale_token' });
    expect(lsps2ErrorObject(201)).to.deep.equal({ code: 201, message: 'invalid_opening_fee_params' });
    expect(lsps2ErrorObject(202)).to.deep.equal({ code: 202, message: 'payment_size_too_small' });
    expect(lsps2ErrorObject(203)).to.deep.equal({ code: 203, message: 'payment_size_too_large' });
    expect(lsps2ErrorObject(1)).to.deep.equal({
      code: 1,
      message: 'Client rejected',
      data: { message: 'Client rejected' },
    });
    expect(lsps2ErrorName(202)).to.equal('payment_size_too_small');
    expect(lsps2ErrorName(299)).to.equal(undefined);
  });
});
