import { expect } from 'chai';
import { formatScid } from '../../src/lsps0/index.js';
import {
  LSPS2_PAYMENT_SIZE_TOO_SMALL,
  buyParamsToWire,
  buyResultToWire,
  checkBuy,
  checkMenuOrder,
  getInfoParamsToWire,
  getInfoResultToWire,
  parseBuyParams,
  parseBuyResult,
  parseGetInfoParams,
  parseGetInfoResult,
} from '../../src/lsps2/index.js';
import { specExample, specExamples } from '../support/spec-examples.js';
import { CLIENT, SECRET } from './fixtures.js';

const example = (line: number): Record<string, unknown> => specExample('blip-0052.md', line).json;

describe('bLIP-52 JSON examples (lsps-spec-json-examples.json)', () => {
  it('has exactly the four LSPS2 examples this file tests', () => {
    expect(specExamples.filter((c) => c.spec === 'blip-0052.md').map((c) => c.fence_line)).to.deep.equal([
      200, 221, 551, 624,
    ]);
  });

  it('L200: get_info params with a token parse and serialise back equal', () => {
    const r = parseGetInfoParams(example(200));
    expect(r).to.deep.equal({ ok: true, value: { token: 'SECRETDISCOUNTCOUPON100' } });
    if (r.ok) expect(getInfoParamsToWire(r.value)).to.deep.equal(example(200));
  });

  it('L221: the get_info result menu parses (2 entries, ordered) and serialises back equal', () => {
    const result = parseGetInfoResult(example(221));
    expect(result.openingFeeParamsMenu).to.have.length(2);
    expect(result.openingFeeParamsMenu[0]).to.deep.include({
      minFeeMsat: 546_000n,
      proportional: 1200,
      minLifetime: 1008,
    });
    expect(result.openingFeeParamsMenu[1]!.validUntil.text).to.equal('2023-02-27T21:23:57.984Z');
    expect(checkMenuOrder(result.openingFeeParamsMenu)).to.deep.equal({ ok: true });
    expect(getInfoResultToWire(result)).to.deep.equal(example(221));
  });

  it('L551: the buy params parse and serialise back equal', () => {
    const r = parseBuyParams(example(551));
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value.paymentSizeMsat).to.equal(42_000n);
    expect(buyParamsToWire(r.value)).to.deep.equal(example(551));
  });

  it('L551: the spec example buy comes out as 202 payment_size_too_small (fee 546000 >= 42000)', () => {
    const r = parseBuyParams(example(551));
    if (!r.ok) throw new Error(r.reason);
    // Even at a time when the params were still valid, the size check fails first.
    const verdict = checkBuy({
      request: r.value,
      promiseSecret: SECRET,
      clientNodeId: CLIENT,
      now: new Date(Date.UTC(2023, 1, 23)),
    });
    expect(verdict).to.deep.equal({
      ok: false,
      code: LSPS2_PAYMENT_SIZE_TOO_SMALL,
      reason: 'opening fee 546000 is not less than payment_size_msat 42000',
    });
  });

  it('L624: the buy result parses and serialises back equal', () => {
    const r = parseBuyResult(example(624));
    expect(r).to.deep.equal({
      jitChannelScid: (29451n << 40n) | (4815n << 16n) | 1n,
      lspCltvExpiryDelta: 144,
      clientTrustsLsp: false,
    });
    expect(formatScid(r.jitChannelScid)).to.equal('29451x4815x1');
    expect(buyResultToWire(r)).to.deep.equal(example(624));
  });
});
