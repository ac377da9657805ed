/**
 * Seeded fuzzing of every BOLT 4 decoder in `sphinx/`, `blinding/`, `onion-message/` and
 * `payment-onion/`: random bytes and mutations of the real vector packets and payloads. The only
 * acceptable failure is an `OnionError`; anything else (a TypeError, a RangeError from a codec, a
 * crash in the curve backend) fails the test with the offending input.
 *
 * Authentic packets are crafted as well (valid HMAC around mutated plaintext, and mutated
 * `encrypted_data_tlv` re-sealed under the right rho) so the checks behind the HMAC and the AEAD
 * tag are reached, not just the HMAC comparison. `FUZZ_SCALE` multiplies the case counts; the seed
 * is fixed, so a failure reproduces.
 */
import { expect } from 'chai';
import { toHex } from '../../src/crypto/hex.js';
import { getPublicKey } from '../../src/crypto/secp256k1.js';
import { BigSize } from '../../src/tlv/index.js';
import { OnionError, decodeOnionPacket, peelOnionPacket } from '../../src/sphinx/index.js';
import {
  decodeEncryptedDataTlv,
  encodeEncryptedDataTlv,
  encryptRecipientData,
  unblindHop,
  pathKeySecrets,
} from '../../src/blinding/index.js';
import {
  decodeOnionMessage,
  decodeOnionMessagePayload,
  encodeOnionMessagePayload,
  peelOnionMessage,
  encodeOnionMessage,
} from '../../src/onion-message/index.js';
import {
  decodePaymentOnionPayload,
  encodePaymentOnionPayload,
  peelPaymentOnion,
} from '../../src/payment-onion/index.js';
import { packetCrafter, prng } from '../sphinx/craft.js';
import { hex, loadBolt04 } from '../sphinx/bolt04-vectors.js';

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const rnd = prng(0xb0174);

const onionTest = loadBolt04('onion-test.json');
const routeBlinding = loadBolt04('route-blinding-test.json');
const omTest = loadBolt04('blinded-onion-message-onion-test.json');
const payTest = loadBolt04('blinded-payment-onion-test.json');

const stripLen = (s: string): Uint8Array => {
  const b = hex(s);
  return b.subarray(BigSize.decode(b, 0).length);
};

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** One random mutation of `src` (never modifies it). */
function mutate(src: Uint8Array): Uint8Array {
  switch (rnd.int(9)) {
    case 0: {
      // flip 1..4 bits
      const b = src.slice();
      for (let k = 1 + rnd.int(4); k > 0 && b.length; k--) b[rnd.int(b.length)] ^= 1 << rnd.int(8);
      return b;
    }
    case 1: {
      // set a byte to an interesting value
      const b = src.slice();
      if (b.length) b[rnd.int(b.length)] = [0, 1, 0x7f, 0x80, 0xfc, 0xfd, 0xfe, 0xff][rnd.int(8)];
      return b;
    }
    case 2: // truncate
      return src.slice(0, rnd.int(src.length + 1));
    case 3: // extend with random bytes
      return concat(src, rnd.bytes(1 + rnd.int(40)));
    case 4: {
      // overwrite a random range with random bytes
      const b = src.slice();
      if (!b.length) return b;
      const at = rnd.int(b.length);
      b.set(rnd.bytes(Math.min(b.length - at, 1 + rnd.int(16))), at);
      return b;
    }
    case 5: {
      // delete a range
      const at = rnd.int(src.length + 1);
      return concat(src.subarray(0, at), src.subarray(Math.min(src.length, at + 1 + rnd.int(8))));
    }
    case 6: {
      // duplicate a range in place
      const at = rnd.int(src.length + 1);
      return concat(
        src.subarray(0, at),
        src.subarray(at, Math.min(src.length, at + 1 + rnd.int(12))),
        src.subarray(at),
      );
    }
    case 7: // fully random, random length
      return rnd.bytes(rnd.int(Math.max(2, src.length * 2)));
    default: // two mutations
      return mutate(mutate(src));
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const roundTrip = (name: string, input: Uint8Array, again: Uint8Array): void => {
  if (!sameBytes(input, again))
    throw new Error(`${name}: decoded then re-encoded differently: ${toHex(input)} -> ${toHex(again)}`);
};

const pick = <T>(xs: readonly T[]): T => xs[rnd.int(xs.length)];

/**
 * An authentic hop's 1300-byte Sphinx plaintext around `payload`: [bigsize len][payload][next HMAC], the HMAC
 * random half the time (a forward) and zeros otherwise (the final hop); a payload too long is cut to fit.
 */
function hopPlaintext(payload: Uint8Array): Uint8Array {
  const plain = new Uint8Array(1300);
  const len = BigSize.encode(BigInt(payload.length));
  plain.set(len, 0);
  plain.set(payload.subarray(0, 1300 - len.length), len.length);
  const at = len.length + payload.length;
  if (rnd.int(2) && at + 32 <= 1300) plain.set(rnd.bytes(32), at);
  return plain;
}

type Stats = Record<string, number>;

/** Feeds `n` inputs to `decode`; returns outcome counts. Any non-OnionError fails with the input. */
function feed(name: string, n: number, gen: () => Uint8Array, decode: (b: Uint8Array) => unknown): Stats {
  const stats: Stats = {};
  for (let i = 0; i < n; i++) {
    const input = gen();
    let outcome = 'ok';
    try {
      decode(input);
    } catch (e) {
      if (!(e instanceof OnionError)) {
        throw new Error(
          `${name}: case ${i} threw ${(e as Error)?.name}: ${(e as Error)?.message}\ninput: ${toHex(input)}`,
        );
      }
      outcome = e.code;
    }
    stats[outcome] = (stats[outcome] ?? 0) + 1;
  }
  return stats;
}

const total: Stats = {};
const record = (name: string, s: Stats) => {
  total[name] = Object.values(s).reduce((a, b) => a + b, 0);
};

describe('fuzz: BOLT 4 decoders emit only OnionError (seeded)', function () {
  this.timeout(300_000);
  // Millions of rejected inputs: skip stack capture (the error type and code are what is checked).
  const stackTraceLimit = Error.stackTraceLimit;
  before(() => {
    Error.stackTraceLimit = 0;
  });

  it('decodeEncryptedDataTlv: 100,000 mutated vector encrypted_data_tlv streams; successes re-encode byte for byte', () => {
    const seeds = [
      ...(routeBlinding.generate.hops as any[]).map((h) => hex(h.encoded_tlvs)),
      ...(omTest.generate.hops as any[]).map((h) => hex(h.encrypted_data_tlv)),
    ];
    const s = feed(
      'encrypted_data_tlv',
      100_000 * SCALE,
      () => mutate(pick(seeds)),
      (b) => {
        roundTrip('encrypted_data_tlv', b, encodeEncryptedDataTlv(decodeEncryptedDataTlv(b)));
      },
    );
    record('encrypted_data_tlv', s);
    expect(s.ok).to.be.greaterThan(1000);
    expect(s['invalid-tlv']).to.be.greaterThan(1000);
  });

  it('decodeOnionMessagePayload: 100,000 mutated onionmsg_tlv payloads (with reply_path and BOLT 12 fields)', () => {
    const path = {
      introduction: { kind: 'nodeId' as const, nodeId: hex(omTest.route.first_node_id) },
      firstPathKey: hex(omTest.route.first_path_key),
      hops: (omTest.route.hops as any[]).map((h) => ({
        blindedNodeId: hex(h.blinded_node_id),
        encryptedRecipientData: hex(h.encrypted_recipient_data),
      })),
    };
    const seeds = [
      encodeOnionMessagePayload({
        replyPath: path,
        invoiceRequest: rnd.bytes(120),
        encryptedRecipientData: rnd.bytes(50),
      }),
      encodeOnionMessagePayload({
        replyPath: { ...path, introduction: { kind: 'scidDir', direction: 1, scid: 1729n } },
        invoice: rnd.bytes(300),
      }),
      encodeOnionMessagePayload({
        encryptedRecipientData: rnd.bytes(40),
        invoiceError: rnd.bytes(20),
        unknown: [{ type: 1n, value: rnd.bytes(5) }],
      }),
    ];
    const s = feed(
      'onionmsg_tlv',
      100_000 * SCALE,
      () => mutate(pick(seeds)),
      (b) => {
        roundTrip('onionmsg_tlv', b, encodeOnionMessagePayload(decodeOnionMessagePayload(b)));
      },
    );
    record('onionmsg_tlv', s);
    expect(s.ok).to.be.greaterThan(1000);
  });

  it('decodePaymentOnionPayload: 100,000 mutated payment hop payloads', () => {
    const seeds = [
      ...(onionTest.generate.hops as any[]).map((h) => stripLen(h.payload)),
      ...(payTest.generate.full_route.hops as any[]).map((h) => stripLen(h.payload)),
      encodePaymentOnionPayload({
        amtToForwardMsat: 5n,
        outgoingCltvValue: 9,
        paymentData: { paymentSecret: rnd.bytes(32), totalMsat: 77n },
        paymentMetadata: rnd.bytes(9),
      }),
    ];
    const s = feed(
      'payment payload',
      100_000 * SCALE,
      () => mutate(pick(seeds)),
      (b) => {
        roundTrip('payment payload', b, encodePaymentOnionPayload(decodePaymentOnionPayload(b)));
      },
    );
    record('payment payload', s);
    expect(s.ok).to.be.greaterThan(1000);
  });

  it('unblindHop / decryptRecipientData: 3,000 mutated encrypted_recipient_data and path keys at the vector hops', () => {
    const hops = (routeBlinding.unblind.hops as any[]).map((h, i) => ({
      key: hex(h.node_privkey),
      pathKey: hex(h.path_key),
      enc: hex(routeBlinding.route.hops[i].encrypted_data),
    }));
    let i = 0;
    const s = feed(
      'unblind',
      3_000 * SCALE,
      () => {
        const h = hops[i++ % hops.length];
        return rnd.int(4) === 0
          ? concat(Uint8Array.of(0xaa), mutate(h.pathKey))
          : concat(Uint8Array.of(0xbb), mutate(h.enc));
      },
      (b) => {
        const h = hops[(i - 1) % hops.length];
        if (b[0] === 0xaa) unblindHop(h.key, b.subarray(1), h.enc);
        else unblindHop(h.key, h.pathKey, b.subarray(1));
      },
    );
    record('unblind', s);
    expect(s['bad-ciphertext']).to.be.greaterThan(300);
  });

  it('payment onions: 8,000 mutated vector packets and authentic packets around mutated payloads, through decode + peel', () => {
    const AD = hex(payTest.generate.associated_data);
    const real = (payTest.decrypt.hops as any[]).map((h) => ({
      onion: hex(h.onion),
      key: hex(h.node_privkey),
      pathKey:
        h.alias === 'Alice' || h.alias === 'Bob'
          ? undefined
          : hex(payTest.decrypt.hops[payTest.decrypt.hops.indexOf(h) - 1].next_path_key),
    }));
    // an authentic intro-node hop: current_path_key + encrypted data sealed for `node`
    const nodeSecret = new Uint8Array(32).fill(0x12);
    const nodeId = getPublicKey(nodeSecret);
    const pathKey = getPublicKey(new Uint8Array(32).fill(0x13));
    const { rho } = pathKeySecrets(nodeSecret, pathKey);
    const dataSeeds = (payTest.generate.full_route.hops as any[])
      .slice(1)
      .map(() => null)
      .map((_, i) =>
        encodeEncryptedDataTlv(
          i < 3
            ? {
                shortChannelId: BigInt(i + 1),
                paymentRelay: { cltvExpiryDelta: 40, feeBaseMsat: 1000, feeProportionalMillionths: 10 },
                paymentConstraints: { maxCltvExpiry: 900_000, htlcMinimumMsat: 1n },
                allowedFeatures: new Uint8Array(0),
              }
            : { pathId: rnd.bytes(16), paymentConstraints: { maxCltvExpiry: 900_000, htlcMinimumMsat: 1n } },
        ),
      );
    const craft = packetCrafter(new Uint8Array(32).fill(0x14), nodeId);
    let ctx: { key: Uint8Array; pathKey?: Uint8Array; packet?: ReturnType<typeof craft> } = { key: nodeSecret };
    const s = feed(
      'payment onion',
      8_000 * SCALE,
      () => {
        if (rnd.int(2) === 0) {
          const h = pick(real);
          ctx = { key: h.key, pathKey: h.pathKey };
          return mutate(h.onion);
        }
        // authentic: [bigsize len][payload TLVs][hmac or zeros], payload = current_path_key + sealed (possibly mutated) data, maybe itself mutated
        const data = rnd.int(2) === 0 ? mutate(pick(dataSeeds)) : pick(dataSeeds);
        let payload = encodePaymentOnionPayload({
          currentPathKey: pathKey,
          encryptedRecipientData: encryptRecipientData(rho, data),
          ...(rnd.int(2) ? { amtToForwardMsat: 1000n, outgoingCltvValue: 800_000, totalAmountMsat: 1000n } : {}),
        });
        if (rnd.int(3) === 0) payload = mutate(payload);
        ctx = { key: nodeSecret, packet: craft(hopPlaintext(payload), AD) };
        return new Uint8Array([0]);
      },
      (b) => {
        const packet = ctx.packet ?? decodeOnionPacket(b, { payloadsLength: 1300 });
        ctx.packet = undefined;
        peelPaymentOnion({
          packet,
          nodePrivkey: ctx.key,
          paymentHash: AD,
          updateAddPathKey: ctx.pathKey,
          incomingAmountMsat: 1_000_000n,
          incomingCltvExpiry: 800_100,
        });
      },
    );
    record('payment onion', s);
    expect(s['bad-hmac']).to.be.greaterThan(500);
    expect((s['invalid-payload'] ?? 0) + (s['invalid-tlv'] ?? 0)).to.be.greaterThan(500);
    expect(s.ok).to.be.greaterThan(100);
  });

  it('onion messages: 8,000 mutated vector onion_message wires and authentic messages around mutated payloads, through decode + peel', () => {
    const real = (omTest.decrypt.hops as any[]).map((h) => ({ wire: hex(h.onion_message), key: hex(h.privkey) }));
    const nodeSecret = new Uint8Array(32).fill(0x22);
    const nodeId = getPublicKey(nodeSecret);
    const pathKey = getPublicKey(new Uint8Array(32).fill(0x23));
    const secrets = pathKeySecrets(nodeSecret, pathKey);
    const blindedNodeId = getPublicKey(secrets.blindedPrivkey);
    const dataSeeds = [
      encodeEncryptedDataTlv({ nextNodeId: nodeId }),
      encodeEncryptedDataTlv({ shortChannelId: 7n, padding: new Uint8Array(3) }),
      encodeEncryptedDataTlv({ pathId: rnd.bytes(32) }),
      encodeEncryptedDataTlv({ nextNodeId: nodeId, nextPathKeyOverride: pathKey }),
    ];
    const craft = packetCrafter(new Uint8Array(32).fill(0x24), blindedNodeId);
    let key: Uint8Array = nodeSecret;
    const s = feed(
      'onion message',
      8_000 * SCALE,
      () => {
        if (rnd.int(2) === 0) {
          const h = pick(real);
          key = h.key;
          return rnd.int(10) === 0 ? mutate(h.wire.subarray(2)) : mutate(h.wire);
        }
        key = nodeSecret;
        const data = rnd.int(2) === 0 ? mutate(pick(dataSeeds)) : pick(dataSeeds);
        let payload = encodeOnionMessagePayload({
          encryptedRecipientData: encryptRecipientData(secrets.rho, data),
          ...(rnd.int(2) ? { invoiceRequest: rnd.bytes(10) } : {}),
        });
        if (rnd.int(3) === 0) payload = mutate(payload);
        return encodeOnionMessage({ pathKey, packet: craft(hopPlaintext(payload)) });
      },
      (b) => {
        const withType = b.length >= 2 && b[0] === 0x02 && b[1] === 0x01;
        peelOnionMessage(decodeOnionMessage(b, { withType }), key);
      },
    );
    record('onion message', s);
    expect(s['bad-hmac']).to.be.greaterThan(500);
    expect(s.ok).to.be.greaterThan(100);
  });

  it('bare Sphinx peeling: 4,000 random packets of random length through decodeOnionPacket + peelOnionPacket', () => {
    const key = new Uint8Array(32).fill(0x31);
    const s = feed(
      'sphinx',
      4_000 * SCALE,
      () => {
        const b = rnd.bytes(rnd.int(1500));
        if (b.length > 34 && rnd.int(2))
          (b.set(getPublicKey(new Uint8Array(32).fill(0x40 + rnd.int(100))), 1), (b[0] = 0));
        return b;
      },
      (b) => peelOnionPacket(decodeOnionPacket(b), { nodePrivkey: key, minPayloadLength: rnd.int(3) }),
    );
    record('sphinx', s);
  });

  after(() => {
    Error.stackTraceLimit = stackTraceLimit;
    const sum = Object.values(total).reduce((a, b) => a + b, 0);
    // eslint-disable-next-line no-console
    console.log(
      `      fuzz cases: ${sum} (${Object.entries(total)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    );
    expect(sum).to.be.at.least(100_000);
  });
});
