import { expect } from 'chai';
import { getPublicKey } from '../../src/crypto/secp256k1.js';
import { toHex } from '../../src/crypto/hex.js';
import { encodeBlindedPath, decodeBlindedPath } from '../../src/wire/blinded-path.js';
import { ByteReader } from '../../src/tlv/index.js';
import { OnionError } from '../../src/sphinx/index.js';
import {
  advanceBlindedPath,
  buildBlindedMessagePath,
  buildBlindedPaymentPath,
  encodePadded,
  unblindHop,
  type BuildBlindedPaymentPathArgs,
} from '../../src/blinding/index.js';

const secret = (b: number) => new Uint8Array(32).fill(b);
const lspSecret = secret(0x4c);
const clientSecret = secret(0x43);
const relaySecret = secret(0x52);
const [lspId, clientId, relayId] = [lspSecret, clientSecret, relaySecret].map(getPublicKey);
const scid = (800_000n << 40n) | (7n << 16n) | 1n;

/** One valid router-style path; tests override fields (`makePath({ minFinalCltvExpiryDelta: 40 })`). */
const makePath = (over: Partial<BuildBlindedPaymentPathArgs> = {}) =>
  buildBlindedPaymentPath({
    sessionKey: secret(0x51),
    forwardHops: [
      {
        nodeId: lspId,
        shortChannelId: scid,
        relay: { cltvExpiryDelta: 144, feeBaseMsat: 0, feeProportionalMillionths: 0 },
      },
    ],
    recipient: { nodeId: clientId, pathId: secret(0x77), constraints: { maxCltvExpiry: 802_016, htlcMinimumMsat: 1n } },
    minFinalCltvExpiryDelta: 24,
    ...over,
  });

describe("buildBlindedPaymentPath (the client router's LSP -> client path)", () => {
  it('starts at the LSP, blinds both hops, and the LSP unblinds its scid, relay and derived constraints', () => {
    const { path, payinfo } = makePath();
    expect(path.introduction).to.deep.equal({ kind: 'nodeId', nodeId: lspId });
    expect(path.hops.length).to.equal(2);
    const lsp = unblindHop(lspSecret, path.firstPathKey, path.hops[0].encryptedRecipientData);
    expect(lsp.data.shortChannelId).to.equal(scid);
    expect(lsp.data.paymentRelay).to.deep.equal({ cltvExpiryDelta: 144, feeBaseMsat: 0, feeProportionalMillionths: 0 });
    // BOLT 4: recipient max_cltv_expiry + min_final_cltv_expiry_delta + each hop's delta
    expect(lsp.data.paymentConstraints).to.deep.equal({ maxCltvExpiry: 802_016 + 24 + 144, htlcMinimumMsat: 1n });
    expect(toHex(getPublicKey(lsp.blindedPrivkey))).to.equal(toHex(path.hops[0].blindedNodeId));
    const me = unblindHop(clientSecret, lsp.nextPathKey, path.hops[1].encryptedRecipientData);
    expect(me.data.pathId).to.deep.equal(secret(0x77));
    expect(payinfo).to.include({
      feeBaseMsat: 0,
      feeProportionalMillionths: 0,
      cltvExpiryDelta: 168,
      htlcMinimumMsat: 1n,
    });
  });
  it('pads every encrypted_data_tlv to the same length (BOLT 4: SHOULD)', () => {
    const { path } = makePath();
    expect(new Set(path.hops.map((h) => h.encryptedRecipientData.length)).size).to.equal(1);
    const { path: bare } = makePath({ pad: false });
    expect(new Set(bare.hops.map((h) => h.encryptedRecipientData.length)).size).to.equal(2);
  });
  it('serializes as a BOLT 12 blinded_path and decodes back', () => {
    const { path } = makePath();
    expect(decodeBlindedPath(new ByteReader(encodeBlindedPath(path).finish()))).to.deep.equal(path);
  });
  it('refuses a path whose payinfo would be unusable', () => {
    expect(() =>
      makePath({
        recipient: {
          nodeId: clientId,
          pathId: secret(1),
          constraints: { maxCltvExpiry: 1, htlcMinimumMsat: 10n },
          htlcMaximumMsat: 5n,
        },
      }),
    ).to.throw(OnionError, /no usable blinded_payinfo/);
  });
  it('refuses a hop whose node id is not a point', () => {
    expect(() =>
      makePath({
        forwardHops: [
          {
            nodeId: new Uint8Array(33).fill(5),
            shortChannelId: 1n,
            relay: { cltvExpiryDelta: 1, feeBaseMsat: 0, feeProportionalMillionths: 0 },
          },
        ],
      }),
    )
      .to.throw(OnionError)
      .with.property('code', 'invalid-argument');
  });
});

describe('padding', () => {
  it('pads to the longest record plus a padding record, and leaves explicit padding alone', () => {
    const [a, b, c] = encodePadded([
      { shortChannelId: 1n },
      { pathId: new Uint8Array(40) },
      { padding: new Uint8Array(1) },
    ]);
    expect(a.length).to.equal(b.length);
    expect(a.length).to.equal(42 + 2);
    expect(c.length).to.equal(3);
  });
});

describe('buildBlindedMessagePath and advanceBlindedPath', () => {
  const { path } = buildBlindedMessagePath({
    sessionKey: secret(0x61),
    forwardNodeIds: [lspId, relayId],
    recipientNodeId: clientId,
    recipientData: { pathId: secret(0x62) },
  });

  it('each forwarding hop names the next node; the recipient finds its path_id', () => {
    const a = unblindHop(lspSecret, path.firstPathKey, path.hops[0].encryptedRecipientData);
    expect(a.data.nextNodeId).to.deep.equal(relayId);
    expect(a.data.paymentRelay).to.equal(undefined);
    const b = unblindHop(relaySecret, a.nextPathKey, path.hops[1].encryptedRecipientData);
    expect(b.data.nextNodeId).to.deep.equal(clientId);
    const c = unblindHop(clientSecret, b.nextPathKey, path.hops[2].encryptedRecipientData);
    expect(c.data.pathId).to.deep.equal(secret(0x62));
    expect(new Set(path.hops.map((h) => h.encryptedRecipientData.length)).size).to.equal(1);
  });
  it('the introduction node advances the path past itself', () => {
    const next = advanceBlindedPath(path, lspSecret);
    expect(next.introduction).to.deep.equal({ kind: 'nodeId', nodeId: relayId });
    expect(next.hops).to.deep.equal(path.hops.slice(1));
    expect(
      unblindHop(relaySecret, next.firstPathKey, next.hops[0].encryptedRecipientData).data.nextNodeId,
    ).to.deep.equal(clientId);
  });
  it('a node that is not the introduction node cannot advance it', () => {
    expect(() => advanceBlindedPath(path, relaySecret))
      .to.throw(OnionError)
      .with.property('code', 'bad-ciphertext');
  });
});
