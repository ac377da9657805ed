import { expect } from 'chai';
import { getPublicKey } from '../../src/crypto/secp256k1.js';
import { BigSize } from '../../src/tlv/index.js';
import {
  OnionError,
  constructOnionPacket,
  decodeOnionPacket,
  encodeOnionPacket,
  peelOnionPacket,
  type OnionErrorCode,
} from '../../src/sphinx/index.js';
import {
  decryptRecipientData,
  encryptRecipientData,
  unblindHop,
  blindPath,
  encodeEncryptedDataTlv,
  decodeEncryptedDataTlv,
  paymentForwardData,
  paymentReceiveData,
  messageForwardData,
} from '../../src/blinding/index.js';
import {
  buildOnionMessage,
  constructOnionMessage,
  decodeOnionMessage,
  encodeOnionMessage,
  peelOnionMessage,
  decodeOnionMessagePayload,
} from '../../src/onion-message/index.js';
import {
  decodePaymentOnionPayload,
  encodePaymentOnionPayload,
  peelPaymentOnion,
} from '../../src/payment-onion/index.js';
import { craftPacket } from './craft.js';
import { hex, loadBolt04 } from './bolt04-vectors.js';

const onionVector = loadBolt04('onion-test.json');
const AD = hex(onionVector.generate.associated_data);
const HOP0 = hex(onionVector.decode[0]);
const real = hex(onionVector.onion);
const session = new Uint8Array(32).fill(0x11);
const nodeSecret = new Uint8Array(32).fill(0x12);
const nodeId = getPublicKey(nodeSecret);

function expectOnionError(fn: () => unknown, code: OnionErrorCode): void {
  try {
    fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(OnionError);
    expect((e as OnionError).code, (e as Error).message).to.equal(code);
    return;
  }
  expect.fail(`expected OnionError '${code}', nothing was thrown`);
}

/** The real vector packet with one change applied. */
const mutate = (f: (b: Uint8Array) => Uint8Array | void): Uint8Array => {
  const b = real.slice();
  return f(b) ?? b;
};
const peel = (bytes: Uint8Array, ad = AD) =>
  peelOnionPacket(decodeOnionPacket(bytes, { payloadsLength: 1300 }), { nodePrivkey: HOP0, associatedData: ad });
/** `hop_payloads` plaintext = bigsize(len) || filler bytes, authenticated for `nodeId`. */
const plainWithLength = (len: bigint, size = 1300) => {
  const p = new Uint8Array(size);
  p.set(BigSize.encode(len), 0);
  return p;
};

describe('malformed onions are rejected with typed errors', () => {
  const cases: { name: string; code: OnionErrorCode; run: () => unknown }[] = [
    { name: 'a flipped bit in the HMAC', code: 'bad-hmac', run: () => peel(mutate((b) => void (b[1365] ^= 1))) },
    { name: 'a flipped bit in hop_payloads', code: 'bad-hmac', run: () => peel(mutate((b) => void (b[500] ^= 0x80))) },
    { name: 'the wrong associated data (payment hash)', code: 'bad-hmac', run: () => peel(real, new Uint8Array(32)) },
    {
      name: 'the wrong node key',
      code: 'bad-hmac',
      run: () =>
        peelOnionPacket(decodeOnionPacket(real, { payloadsLength: 1300 }), {
          nodePrivkey: nodeSecret,
          associatedData: AD,
        }),
    },
    { name: 'a packet cut to 1000 bytes', code: 'truncated', run: () => peel(real.subarray(0, 1000)) },
    { name: 'an empty packet', code: 'truncated', run: () => decodeOnionPacket(new Uint8Array(0)) },
    {
      name: 'a payment packet one byte too long',
      code: 'oversize-payload',
      run: () => peel(new Uint8Array([...real, 0])),
    },
    { name: 'version byte 1', code: 'bad-version', run: () => peel(mutate((b) => void (b[0] = 1))) },
    { name: 'version byte 0xff', code: 'bad-version', run: () => peel(mutate((b) => void (b[0] = 0xff))) },
    {
      name: 'an ephemeral key that is not on the curve',
      code: 'bad-pubkey',
      run: () => peel(mutate((b) => void (b[1] = 0x05))),
    },
    {
      name: 'an authentic packet whose payload length exceeds hop_payloads',
      code: 'oversize-payload',
      run: () => peelOnionPacket(craftPacket(session, nodeId, plainWithLength(1300n)), { nodePrivkey: nodeSecret }),
    },
    {
      name: 'an authentic packet whose payload leaves no room for the next HMAC',
      code: 'oversize-payload',
      run: () =>
        peelOnionPacket(craftPacket(session, nodeId, plainWithLength(1300n - 3n - 31n)), { nodePrivkey: nodeSecret }),
    },
    {
      name: 'an authentic payment packet with the reserved payload length 1',
      code: 'invalid-payload',
      run: () =>
        peelOnionPacket(craftPacket(session, nodeId, plainWithLength(1n)), {
          nodePrivkey: nodeSecret,
          minPayloadLength: 2,
        }),
    },
    {
      name: 'an authentic packet with a non-minimal bigsize length',
      code: 'invalid-tlv',
      run: () =>
        peelOnionPacket(craftPacket(session, nodeId, new Uint8Array([0xfd, 0x00, 0x10, ...new Uint8Array(1297)])), {
          nodePrivkey: nodeSecret,
        }),
    },
    {
      name: 'hop payloads that do not fit the packet at construction',
      code: 'oversize-payload',
      run: () =>
        constructOnionPacket({ sessionKey: session, hops: [{ publicKey: nodeId, payload: new Uint8Array(1300) }] }),
    },
    {
      name: 'a construction hop key that is not a point',
      code: 'bad-pubkey',
      run: () =>
        constructOnionPacket({
          sessionKey: session,
          hops: [{ publicKey: new Uint8Array(33).fill(5), payload: new Uint8Array(10) }],
        }),
    },
  ];
  for (const c of cases) it(`${c.name}: '${c.code}'`, () => expectOnionError(c.run, c.code));

  it('a decodable packet round-trips through encode', () => {
    expect(encodeOnionPacket(decodeOnionPacket(real, { payloadsLength: 1300 }))).to.deep.equal(real);
  });
});

describe('malformed blinded data is rejected with typed errors', () => {
  const rho = new Uint8Array(32).fill(7);
  const sealed = encryptRecipientData(rho, encodeEncryptedDataTlv({ nextNodeId: nodeId }));
  const cases: { name: string; code: OnionErrorCode; run: () => unknown }[] = [
    {
      name: 'a flipped bit in the Poly1305 tag',
      code: 'bad-ciphertext',
      run: () =>
        decryptRecipientData(
          rho,
          sealed.map((b, i) => (i === sealed.length - 1 ? b ^ 1 : b)),
        ),
    },
    {
      name: 'a flipped bit in the ciphertext',
      code: 'bad-ciphertext',
      run: () =>
        decryptRecipientData(
          rho,
          sealed.map((b, i) => (i === 0 ? b ^ 1 : b)),
        ),
    },
    {
      name: 'data shorter than a tag',
      code: 'bad-ciphertext',
      run: () => decryptRecipientData(rho, new Uint8Array(15)),
    },
    { name: 'the wrong key', code: 'bad-ciphertext', run: () => decryptRecipientData(new Uint8Array(32), sealed) },
    {
      name: 'an unknown even encrypted_data_tlv type',
      code: 'unknown-even',
      run: () => decodeEncryptedDataTlv(hex('1000')),
    },
    {
      name: 'a short_channel_id of 7 bytes',
      code: 'invalid-tlv',
      run: () => decodeEncryptedDataTlv(hex('020700000000000001')),
    },
    {
      name: 'a next_node_id that is not a point',
      code: 'invalid-tlv',
      run: () => decodeEncryptedDataTlv(hex('0421' + '05'.repeat(33))),
    },
    {
      name: 'a non-minimal tu32 fee_base_msat',
      code: 'invalid-tlv',
      run: () => decodeEncryptedDataTlv(hex('0a0800900000000a0001')),
    },
    { name: 'records out of order', code: 'invalid-tlv', run: () => decodeEncryptedDataTlv(hex('06010101020102')) },
    { name: 'a truncated record', code: 'invalid-tlv', run: () => decodeEncryptedDataTlv(hex('0605aabb')) },
    {
      name: 'a path key that is not a point',
      code: 'bad-pubkey',
      run: () => unblindHop(nodeSecret, new Uint8Array(33).fill(5), sealed),
    },
    {
      name: 'an unknown even onionmsg_tlv type',
      code: 'unknown-even',
      run: () => decodeOnionMessagePayload(hex('0600')),
    },
    {
      name: 'a reply_path with trailing bytes',
      code: 'invalid-tlv',
      run: () => decodeOnionMessagePayload(hex('0203000000')),
    },
    {
      name: 'an unknown even payment payload type',
      code: 'unknown-even',
      run: () => decodePaymentOnionPayload(hex('1400')),
    },
    {
      name: 'a 9-byte amt_to_forward',
      code: 'invalid-tlv',
      run: () => decodePaymentOnionPayload(hex('0209010000000000000000')),
    },
  ];
  for (const c of cases) it(`${c.name}: '${c.code}'`, () => expectOnionError(c.run, c.code));
});

describe('onion-message and payment-onion readers enforce BOLT 4', () => {
  const hopSecret = new Uint8Array(32).fill(0x13);
  const hopId = getPublicKey(hopSecret);
  const msgTo = (data: Uint8Array[], final: object = {}) => {
    const { path } = blindPath(new Uint8Array(32).fill(0x14), [
      { nodeId: hopId, data: data[0] },
      { nodeId, data: data[1] ?? new Uint8Array(0) },
    ]);
    return constructOnionMessage({
      sessionKey: session,
      firstPathKey: path.firstPathKey,
      hops: path.hops,
      finalPayload: final,
    });
  };

  it("an onion message whose encrypted_recipient_data was tampered with: 'bad-ciphertext'", () => {
    const { path } = blindPath(new Uint8Array(32).fill(0x14), [
      { nodeId: hopId, data: encodeEncryptedDataTlv({ nextNodeId: nodeId }) },
    ]);
    path.hops[0].encryptedRecipientData[3] ^= 1;
    const m = constructOnionMessage({
      sessionKey: session,
      firstPathKey: path.firstPathKey,
      hops: path.hops,
      finalPayload: {},
    });
    expectOnionError(() => peelOnionMessage(m, hopSecret), 'bad-ciphertext');
  });
  it("a forwarding hop whose encrypted data holds a path_id: 'invalid-payload'", () => {
    expectOnionError(
      () =>
        peelOnionMessage(msgTo([encodeEncryptedDataTlv({ nextNodeId: nodeId, pathId: new Uint8Array(1) })]), hopSecret),
      'invalid-payload',
    );
  });
  it("a forwarding hop without next_node_id or short_channel_id: 'invalid-payload'", () => {
    expectOnionError(
      () => peelOnionMessage(msgTo([encodeEncryptedDataTlv({ padding: new Uint8Array(2) })]), hopSecret),
      'invalid-payload',
    );
  });
  it("a final onion message with two payload fields: 'invalid-payload'", () => {
    const { message } = buildOnionMessage({
      sessionKey: session,
      blindingSessionKey: session,
      intermediateNodeIds: [],
      destination: { kind: 'node', nodeId: hopId },
      contents: { invoiceRequest: new Uint8Array(1), invoice: new Uint8Array(1) },
    });
    expectOnionError(() => peelOnionMessage(message, hopSecret), 'invalid-payload');
  });
  it("an onion_message with the wrong type prefix: 'invalid-payload'; a short one: 'truncated'; an oversized len: 'oversize-payload'", () => {
    const wire = encodeOnionMessage(msgTo([encodeEncryptedDataTlv({ nextNodeId: nodeId })]));
    expectOnionError(() => decodeOnionMessage(new Uint8Array([0x02, 0x02, ...wire.subarray(2)])), 'invalid-payload');
    expectOnionError(() => decodeOnionMessage(wire.subarray(0, 400)), 'truncated');
    const big = wire.slice();
    big[35] = 0xff;
    big[36] = 0xff;
    expectOnionError(() => decodeOnionMessage(big), 'oversize-payload');
  });
  it("a payment hop with current_path_key while update_add_htlc carries path_key: 'invalid-payload'", () => {
    const { path } = blindPath(new Uint8Array(32).fill(0x15), [
      {
        nodeId: hopId,
        data: encodeEncryptedDataTlv({
          shortChannelId: 1n,
          paymentRelay: { cltvExpiryDelta: 1, feeBaseMsat: 0, feeProportionalMillionths: 0 },
        }),
      },
    ]);
    const payload = encodePaymentOnionPayload({
      encryptedRecipientData: path.hops[0].encryptedRecipientData,
      currentPathKey: path.firstPathKey,
    });
    const { packet } = constructOnionPacket({
      sessionKey: session,
      associatedData: AD,
      hops: [
        { publicKey: path.hops[0].blindedNodeId, payload },
        { publicKey: nodeId, payload: new Uint8Array([2, 1, 1]) },
      ],
    });
    expectOnionError(
      () => peelPaymentOnion({ packet, nodePrivkey: hopSecret, paymentHash: AD, updateAddPathKey: path.firstPathKey }),
      'invalid-payload',
    );
  });
  it("an unblinded forward without short_channel_id: 'invalid-payload'", () => {
    const payload = encodePaymentOnionPayload({ amtToForwardMsat: 1000n, outgoingCltvValue: 10 });
    const { packet } = constructOnionPacket({
      sessionKey: session,
      associatedData: AD,
      hops: [
        { publicKey: hopId, payload },
        { publicKey: nodeId, payload },
      ],
    });
    expectOnionError(() => peelPaymentOnion({ packet, nodePrivkey: hopSecret, paymentHash: AD }), 'invalid-payload');
  });
  const relay = { cltvExpiryDelta: 1, feeBaseMsat: 0, feeProportionalMillionths: 0 };
  const rules: { name: string; code: OnionErrorCode; run: () => unknown }[] = [
    {
      name: 'payment forward data with both short_channel_id and next_node_id',
      code: 'invalid-payload',
      run: () => paymentForwardData({ shortChannelId: 1n, nextNodeId: nodeId, paymentRelay: relay }),
    },
    {
      name: 'payment forward data without payment_relay',
      code: 'invalid-payload',
      run: () => paymentForwardData({ shortChannelId: 1n }),
    },
    {
      name: 'payment data with an allowed_features bit we do not know',
      code: 'invalid-payload',
      run: () => paymentReceiveData({ allowedFeatures: Uint8Array.of(0, 2) }),
    },
    { name: 'message forward data without a next node', code: 'invalid-payload', run: () => messageForwardData({}) },
    {
      name: 'an encoder given a duplicate unknown type',
      code: 'invalid-argument',
      run: () =>
        encodeEncryptedDataTlv({
          unknown: [
            { type: 3n, value: Uint8Array.of() },
            { type: 3n, value: Uint8Array.of() },
          ],
        }),
    },
    {
      name: 'an encoder given an even unknown type',
      code: 'invalid-argument',
      run: () => encodePaymentOnionPayload({ unknown: [{ type: 20n, value: Uint8Array.of() }] }),
    },
  ];
  for (const c of rules) it(`${c.name}: '${c.code}'`, () => expectOnionError(c.run, c.code));
  it('payment forward data accepts the empty allowed_features the spec asks writers to set', () => {
    expect(
      paymentForwardData({ shortChannelId: 9n, paymentRelay: relay, allowedFeatures: new Uint8Array(0) }).next,
    ).to.deep.equal({ shortChannelId: 9n });
  });
});
