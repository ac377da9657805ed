import { expect } from 'chai';
import { readVector } from '../support/paths.js';
import { hmacSha256 } from '../../src/crypto/hashes.js';
import { fromHex, toHex } from '../../src/crypto/hex.js';
import { parseDatetime } from '../../src/lsps0/index.js';
import {
  type OpeningFeeParams,
  type UnsignedOpeningFeeParams,
  buyParamsToWire,
  derivePromise,
  mintOpeningFeeParams,
  openingFeeParamsToWire,
  parseBuyParams,
  parseOpeningFeeParams,
  promiseHmacInput,
  verifyPromise,
} from '../../src/lsps2/index.js';

interface PromiseCase {
  name: string;
  historic?: boolean;
  promise_secret: string;
  client_node_id: string | null;
  opening_fee_params_without_promise: Record<string, unknown>;
  hmac_valid_until_string?: string;
  hmac_message_hex?: string;
  expected_promise: string;
  negatives?: Record<string, string>;
}
const file = readVector('rust-lightning/lsps2-promise.json') as {
  keys: Record<string, string>;
  cases: PromiseCase[];
  wire_json_asserted_by_source: Record<string, string>;
};

const hex = (s: string) => fromHex(s, 'vector');
const clientNodeId = hex(file.keys.client_node_id!);

function unsignedFrom(c: PromiseCase): UnsignedOpeningFeeParams {
  // The vector writes the numbers as JSON numbers; the wire form has msat strings.
  const w = c.opening_fee_params_without_promise;
  const { promise: _p, ...rest } = parseOpeningFeeParams(
    {
      min_fee_msat: String(w.min_fee_msat),
      proportional: w.proportional,
      valid_until: w.valid_until,
      min_lifetime: w.min_lifetime,
      max_client_to_self_delay: w.max_client_to_self_delay,
      min_payment_size_msat: String(w.min_payment_size_msat),
      max_payment_size_msat: String(w.max_payment_size_msat),
      promise: '',
    },
    'vector',
  );
  return rest;
}

/** Params of a 2035 tier (valid for the tests' lifetime), without their promise. */
const unsigned: UnsignedOpeningFeeParams = {
  minFeeMsat: 546_000n,
  proportional: 1200,
  validUntil: parseDatetime('2035-01-01T00:00:00.000Z', 'x'),
  minLifetime: 1008,
  maxClientToSelfDelay: 2016,
  minPaymentSizeMsat: 1000n,
  maxPaymentSizeMsat: 1_000_000n,
};

describe('LSPS2 promise, byte-compatible with LDK (rust-lightning/lsps2-promise.json)', () => {
  for (const c of file.cases) {
    if (c.historic) {
      it(`${c.name}: the field serialisation after the node id matches, and its HMAC is ${c.expected_promise.slice(0, 8)}…`, () => {
        // We never mint promises without the node id; the historic case still pins the field encoding.
        const withoutNode = promiseHmacInput(clientNodeId, unsignedFrom(c)).slice(33);
        expect(toHex(withoutNode)).to.equal(c.hmac_message_hex);
        expect(toHex(hmacSha256(hex(c.promise_secret), withoutNode))).to.equal(c.expected_promise);
      });
      continue;
    }
    it(`${c.name}: derives ${c.expected_promise.slice(0, 8)}…`, () => {
      const nodeId = hex(c.client_node_id!);
      const unsigned = unsignedFrom(c);
      if (c.hmac_message_hex) expect(toHex(promiseHmacInput(nodeId, unsigned))).to.equal(c.hmac_message_hex);
      if (c.hmac_valid_until_string) {
        expect(Buffer.from(promiseHmacInput(nodeId, unsigned)).toString('latin1')).to.contain(
          c.hmac_valid_until_string,
        );
      }
      expect(derivePromise(hex(c.promise_secret), nodeId, unsigned)).to.equal(c.expected_promise);
      expect(verifyPromise(hex(c.promise_secret), nodeId, { ...unsigned, promise: c.expected_promise })).to.equal(true);
    });
    if (c.negatives) {
      const n = c.negatives;
      it(`${c.name}: a different secret gives ${n.wrong_secret_02x32_gives!.slice(0, 8)}… and does not verify`, () => {
        const unsigned = unsignedFrom(c);
        const wrong = new Uint8Array(32).fill(2);
        expect(derivePromise(wrong, clientNodeId, unsigned)).to.equal(n.wrong_secret_02x32_gives);
        expect(verifyPromise(wrong, clientNodeId, { ...unsigned, promise: c.expected_promise })).to.equal(false);
      });
      it(`${c.name}: another client node id gives ${n.other_node_id_gives!.slice(0, 8)}… and does not verify`, () => {
        const unsigned = unsignedFrom(c);
        const other = hex(file.keys.other_node_id!);
        expect(derivePromise(hex(c.promise_secret), other, unsigned)).to.equal(n.other_node_id_gives);
        expect(verifyPromise(hex(c.promise_secret), other, { ...unsigned, promise: c.expected_promise })).to.equal(
          false,
        );
      });
      it(`${c.name}: min_fee_msat + 1 does not verify`, () => {
        const unsigned = unsignedFrom(c);
        const changed = { ...unsigned, minFeeMsat: unsigned.minFeeMsat + 1n, promise: c.expected_promise };
        expect(verifyPromise(hex(c.promise_secret), clientNodeId, changed)).to.equal(false);
      });
    }
  }

  it("MACs chrono's +00:00 form, not the wire's Z form (HMAC over 'Z' is LDK-incompatible)", () => {
    const c = file.cases[0]!;
    const unsigned = unsignedFrom(c);
    expect(unsigned.validUntil.text).to.equal('2023-05-20T08:30:45Z');
    expect(derivePromise(hex(c.promise_secret), clientNodeId, unsigned)).not.to.equal(
      '40acb1e8c3392d6876e44f33c85ba49905448dc2144f839dcb931477973993fa',
    );
  });

  const wire = file.wire_json_asserted_by_source;
  it("writes LDK's asserted opening_fee_params wire JSON (as an object; key order is not significant)", () => {
    const c = file.cases[0]!;
    const params: OpeningFeeParams = { ...unsignedFrom(c), promise: c.expected_promise };
    expect(openingFeeParamsToWire(params)).to.deep.equal(JSON.parse(wire.opening_fee_params!));
  });

  for (const key of [
    'buy_request_fixed_payment_size',
    'buy_request_variable_payment_size',
    'buy_request_variable_payment_size_null_also_accepted',
  ]) {
    it(`reads LDK's asserted ${key} and its promise verifies for the client`, () => {
      const parsed = parseBuyParams(JSON.parse(wire[key]!));
      expect(parsed.ok).to.equal(true);
      if (!parsed.ok) return;
      expect(verifyPromise(hex(file.cases[0]!.promise_secret), clientNodeId, parsed.value.openingFeeParams)).to.equal(
        true,
      );
      const expected = JSON.parse(wire[key]!);
      if (expected.payment_size_msat === null) delete expected.payment_size_msat;
      expect(buyParamsToWire(parsed.value)).to.deep.equal(expected);
    });
  }

  it('mints params whose promise verifies, and changing any committed field breaks it', () => {
    const secret = new Uint8Array(32).fill(7);
    const minted = mintOpeningFeeParams(secret, clientNodeId, unsigned);
    expect(minted.promise).to.match(/^[0-9a-f]{64}$/);
    expect(verifyPromise(secret, clientNodeId, minted)).to.equal(true);
    const changes: Partial<OpeningFeeParams>[] = [
      { minFeeMsat: 545_999n },
      { proportional: 1199 },
      { validUntil: parseDatetime('2035-01-01T00:00:00.001Z', 'x') },
      { minLifetime: 1007 },
      { maxClientToSelfDelay: 2017 },
      { minPaymentSizeMsat: 999n },
      { maxPaymentSizeMsat: 1_000_001n },
      { promise: minted.promise.toUpperCase() },
      { promise: minted.promise.slice(0, 63) },
      { promise: '' },
    ];
    for (const change of changes)
      expect(
        verifyPromise(secret, clientNodeId, { ...minted, ...change }),
        JSON.stringify(Object.keys(change)),
      ).to.equal(false);
  });

  it('MACs with the bytes a secret array holds now, when the same array is refilled with another secret', () => {
    const secret = new Uint8Array(32).fill(7);
    const under7 = derivePromise(secret, clientNodeId, unsigned);
    secret.fill(8);
    expect(derivePromise(secret, clientNodeId, unsigned)).to.equal(
      derivePromise(new Uint8Array(32).fill(8), clientNodeId, unsigned),
    );
    expect(derivePromise(secret, clientNodeId, unsigned)).to.not.equal(under7);
  });

  it('refuses a secret that is not 32 bytes and a node id that is not a compressed key', () => {
    const c = file.cases[0]!;
    expect(() => derivePromise(new Uint8Array(16), clientNodeId, unsignedFrom(c))).to.throw(RangeError, /secret/);
    expect(() => derivePromise(hex(c.promise_secret), new Uint8Array(33), unsignedFrom(c))).to.throw(
      RangeError,
      /clientNodeId/,
    );
  });
});
