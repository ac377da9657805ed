/**
 * Cross-implementation checks of blinded payment paths against LDK 0.1 (WASM), in this process.
 *
 * The 0.1 bindings expose no read/write for `BlindedPaymentPath` itself. LDK deserializes blinded
 * payment paths inside `PaymentParameters` (TLV 8 = `(blinded_payinfo || blinded_path)*`, the
 * `Payee::Blinded` route hints), so (a) hands LDK our path in exactly that container, and (b) takes
 * the bytes of an LDK-built path from `PaymentParameters.write()`. (d) goes further: LDK, as the LSP,
 * peels a payment onion our code built into our path (`peel_payment_onion`).
 */
import { expect } from 'chai';
import { toHex } from '../../src/crypto/hex.js';
import { getPublicKey } from '../../src/crypto/secp256k1.js';
import { ByteReader, decodeTlvStream, encodeTlvStream, BigSize } from '../../src/tlv/index.js';
import { decodeBlindedPath, encodeBlindedPath, type BlindedPath } from '../../src/wire/blinded-path.js';
import { decodeBlindedPayInfo, encodeBlindedPayInfo, type BlindedPayInfo } from '../../src/wire/blinded-payinfo.js';
import {
  aggregateBlindedPayinfo,
  buildBlindedPaymentPath,
  deriveNextPathKey,
  unblindHop,
  forwardAmountMsat,
} from '../../src/blinding/index.js';
import { buildBlindedPaymentOnion, peelPaymentOnion } from '../../src/payment-onion/index.js';
import { decodeOnionPacket, encodeOnionPacket } from '../../src/sphinx/index.js';
import { initLdk, ldk, ldkKeys, quietLogger } from '../sphinx/ldk-wasm.js';

const PAYMENT_PARAMS_BLINDED_HINTS = 8n;

/** An LDK-built path and the inputs it was given (as the client's LSPS2 router builds it). */
function ldkPath(
  lspId: Uint8Array,
  recipient: ReturnType<typeof ldkKeys>,
  scid: bigint,
  relay: { cltv: number; ppm: number; base: number },
) {
  const fwd = ldk.ForwardTlvs.constructor_new(
    scid,
    ldk.PaymentRelay.constructor_new(relay.cltv, relay.ppm, relay.base),
    ldk.PaymentConstraints.constructor_new(800_000 + relay.cltv, 1n),
    ldk.BlindedHopFeatures.constructor_empty(),
    null,
  );
  const payer = getPublicKey(new Uint8Array(32).fill(0x44));
  const ctx = ldk.PaymentContext.constructor_bolt12_offer(
    ldk.Bolt12OfferContext.constructor_new(
      ldk.OfferId.constructor_new(new Uint8Array(32).fill(9)),
      ldk.InvoiceRequestFields.constructor_new(payer, ldk.Option_u64Z.constructor_none(), null, null),
    ),
  );
  const tlvs = ldk.UnauthenticatedReceiveTlvs.constructor_new(
    new Uint8Array(32).fill(5),
    ldk.PaymentConstraints.constructor_new(800_000, 1n),
    ctx,
  ).authenticate(
    ldk.Nonce.constructor_from_entropy_source(recipient.km.as_EntropySource()),
    ldk.ExpandedKey.constructor_new(new Uint8Array(32).fill(3)),
  );
  const r = ldk.BlindedPaymentPath.constructor_new(
    [ldk.PaymentForwardNode.constructor_new(fwd, lspId, 0xffff_ffff_ffff_ffffn)],
    recipient.nodeId,
    tlvs,
    0xffff_ffff_ffff_ffffn,
    24,
    recipient.km.as_EntropySource(),
  );
  if (!(r instanceof ldk.Result_BlindedPaymentPathNoneZ_OK))
    throw new Error('ldk: BlindedPaymentPath.constructor_new failed');
  return r.res;
}

/** Serializes paths as LDK's `PaymentParameters` does, reusing an LDK-written stream for the other fields. */
function paymentParametersWith(
  template: Uint8Array,
  hints: { payinfo: BlindedPayInfo; path: BlindedPath }[],
): Uint8Array {
  const len = BigSize.decode(template, 0);
  const recs = decodeTlvStream(template.subarray(len.length), 'PaymentParameters');
  const value = new Uint8Array(
    hints.flatMap((h) => [...encodeBlindedPayInfo(h.payinfo).finish(), ...encodeBlindedPath(h.path).finish()]),
  );
  const stream = encodeTlvStream(
    recs.map((r) => (r.type === PAYMENT_PARAMS_BLINDED_HINTS ? { type: r.type, value } : r)),
  );
  return new Uint8Array([...BigSize.encode(BigInt(stream.length)), ...stream]);
}

/** Reads back `(blinded_payinfo || blinded_path)*` from LDK's serialized `PaymentParameters`. */
function hintsOf(bytes: Uint8Array): { payinfo: BlindedPayInfo; path: BlindedPath }[] {
  const len = BigSize.decode(bytes, 0);
  const rec = decodeTlvStream(bytes.subarray(len.length), 'PaymentParameters').find(
    (r) => r.type === PAYMENT_PARAMS_BLINDED_HINTS,
  )!;
  const r = new ByteReader(rec.value, 'blinded hints');
  const out = [];
  while (!r.done()) out.push({ payinfo: decodeBlindedPayInfo(r), path: decodeBlindedPath(r) });
  return out;
}

function readByLdk(bytes: Uint8Array): ldk.BlindedPaymentPath[] {
  const r = ldk.PaymentParameters.constructor_read(bytes, 24);
  if (!(r instanceof ldk.Result_PaymentParametersDecodeErrorZ_OK))
    throw new Error('ldk: PaymentParameters read failed');
  const payee = r.res.get_payee();
  if (!(payee instanceof ldk.Payee_Blinded)) throw new Error('ldk: expected Payee::Blinded');
  return payee.route_hints;
}

describe('blinded payment paths against LDK 0.1 (lightningdevkit WASM)', function () {
  this.timeout(30_000);
  let lsp: ReturnType<typeof ldkKeys>;
  let client: ReturnType<typeof ldkKeys>;
  let template: Uint8Array;
  const interceptScid = (800_000n << 40n) | (7n << 16n) | 1n;

  before(async () => {
    await initLdk();
    lsp = ldkKeys(0x4c);
    client = ldkKeys(0x43);
    template = ldk.PaymentParameters.constructor_blinded([
      ldkPath(lsp.nodeId, client, 1n, { cltv: 144, ppm: 0, base: 0 }),
    ]).write();
  });

  const ours = (relay = { cltvExpiryDelta: 144, feeProportionalMillionths: 250, feeBaseMsat: 1000 }) =>
    buildBlindedPaymentPath({
      sessionKey: new Uint8Array(32).fill(0x51),
      forwardHops: [{ nodeId: lsp.nodeId, shortChannelId: interceptScid, relay }],
      recipient: {
        nodeId: client.nodeId,
        pathId: new Uint8Array(32).fill(0x77),
        constraints: { maxCltvExpiry: 802_016, htlcMinimumMsat: 1n },
      },
      minFinalCltvExpiryDelta: 24,
    });

  it('(a) LDK reads our LSP -> client path: introduction node, hop count, path key, hops and payinfo match', () => {
    const { path, payinfo } = ours();
    const [read] = readByLdk(paymentParametersWith(template, [{ payinfo, path }]));
    const intro = read.introduction_node();
    expect(intro).to.be.instanceOf(ldk.IntroductionNode_NodeId);
    expect(toHex((intro as ldk.IntroductionNode_NodeId).node_id)).to.equal(toHex(lsp.nodeId));
    expect(read.blinded_hops().length).to.equal(2);
    expect(toHex(read.blinding_point())).to.equal(toHex(path.firstPathKey));
    expect(
      read.blinded_hops().map((h) => [toHex(h.get_blinded_node_id()), toHex(h.get_encrypted_payload())]),
    ).to.deep.equal(path.hops.map((h) => [toHex(h.blindedNodeId), toHex(h.encryptedRecipientData)]));
    const p = read.get_payinfo();
    expect({
      feeBaseMsat: p.get_fee_base_msat(),
      feeProportionalMillionths: p.get_fee_proportional_millionths(),
      cltvExpiryDelta: p.get_cltv_expiry_delta(),
      htlcMinimumMsat: p.get_htlc_minimum_msat(),
      htlcMaximumMsat: p.get_htlc_maximum_msat(),
    }).to.deep.equal({
      feeBaseMsat: 1000,
      feeProportionalMillionths: 250,
      cltvExpiryDelta: 168,
      htlcMinimumMsat: payinfo.htlcMinimumMsat,
      htlcMaximumMsat: payinfo.htlcMaximumMsat,
    });
  });

  it('(a) LDK reads the compact SCID-direction introduction form of our path', () => {
    const { path, payinfo } = ours();
    const compact: BlindedPath = { ...path, introduction: { kind: 'scidDir', direction: 1, scid: 0x0a0b0c0d0e0fn } };
    const [read] = readByLdk(paymentParametersWith(template, [{ payinfo, path: compact }]));
    const intro = read.introduction_node();
    expect(intro).to.be.instanceOf(ldk.IntroductionNode_DirectedShortChannelId);
    expect((intro as ldk.IntroductionNode_DirectedShortChannelId)._0).to.equal(ldk.Direction.LDKDirection_NodeTwo);
    expect((intro as ldk.IntroductionNode_DirectedShortChannelId)._1).to.equal(0x0a0b0c0d0e0fn);
  });

  it('(a) our payinfo aggregation equals what LDK computes for the same relay, constraints and final delta', () => {
    for (const relay of [
      { cltv: 144, ppm: 0, base: 0 },
      { cltv: 144, ppm: 100, base: 1000 },
      { cltv: 72, ppm: 2500, base: 1 },
      { cltv: 40, ppm: 999_999, base: 123_456 },
    ]) {
      const p = ldkPath(lsp.nodeId, client, 42n, relay).get_payinfo();
      const mine = aggregateBlindedPayinfo({
        forwardHops: [
          {
            relay: { cltvExpiryDelta: relay.cltv, feeProportionalMillionths: relay.ppm, feeBaseMsat: relay.base },
            constraints: { maxCltvExpiry: 800_000 + relay.cltv, htlcMinimumMsat: 1n },
          },
        ],
        recipientHtlcMinimumMsat: 1n,
        recipientHtlcMaximumMsat: 0xffff_ffff_ffff_ffffn,
        minFinalCltvExpiryDelta: 24,
      })!;
      expect(
        [
          mine.feeBaseMsat,
          mine.feeProportionalMillionths,
          mine.cltvExpiryDelta,
          mine.htlcMinimumMsat,
          mine.htlcMaximumMsat,
        ],
        JSON.stringify(relay),
      ).to.deep.equal([
        p.get_fee_base_msat(),
        p.get_fee_proportional_millionths(),
        p.get_cltv_expiry_delta(),
        p.get_htlc_minimum_msat(),
        p.get_htlc_maximum_msat(),
      ]);
    }
  });

  it('(b) an LDK-built path decodes, and the LSP hop unblinds with its node secret to the scid and payment relay LDK was given', () => {
    const scid = (700_123n << 40n) | (42n << 16n) | 3n;
    const path = ldkPath(lsp.nodeId, client, scid, { cltv: 144, ppm: 100, base: 1000 });
    const [hint] = hintsOf(ldk.PaymentParameters.constructor_blinded([path]).write());
    expect(hint.path.introduction).to.deep.equal({ kind: 'nodeId', nodeId: lsp.nodeId });
    expect(hint.path.hops.length).to.equal(2);
    expect(toHex(hint.path.firstPathKey)).to.equal(toHex(path.blinding_point()));
    const u = unblindHop(lsp.nodeSecret, hint.path.firstPathKey, hint.path.hops[0].encryptedRecipientData);
    expect(u.data.shortChannelId).to.equal(scid);
    expect(u.data.paymentRelay).to.deep.equal({
      cltvExpiryDelta: 144,
      feeProportionalMillionths: 100,
      feeBaseMsat: 1000,
    });
    expect(u.data.paymentConstraints).to.deep.equal({ maxCltvExpiry: 800_144, htlcMinimumMsat: 1n });
    // our blinded private key really is the key of LDK's blinded node id for the LSP
    expect(toHex(getPublicKey(u.blindedPrivkey))).to.equal(toHex(hint.path.hops[0].blindedNodeId));
    // and the next path key we derive is the one the client can decrypt its own hop with
    const next = unblindHopLenient(client.nodeSecret, u.nextPathKey, hint.path.hops[1].encryptedRecipientData);
    expect(next).to.equal(true);
  });

  it('(d) LDK, as the LSP, peels a payment onion our code built into our path and forwards over the intercept SCID', () => {
    const relay = { cltvExpiryDelta: 144, feeProportionalMillionths: 250, feeBaseMsat: 1000 };
    const { path, payinfo } = ours(relay);
    const paymentHash = new Uint8Array(32).fill(0x99);
    const onion = buildBlindedPaymentOnion({
      sessionKey: new Uint8Array(32).fill(0x61),
      paymentHash,
      clearHops: [],
      blindedPath: path,
      payinfo,
      amountMsat: 50_000_000n,
      finalCltv: 800_010,
    });
    const packet = ldk.OnionPacket.constructor_read(encodeOnionPacket(onion.packet));
    if (!(packet instanceof ldk.Result_OnionPacketDecodeErrorZ_OK)) throw new Error('ldk: onion read failed');
    const add = ldk.UpdateAddHTLC.constructor_new(
      ldk.ChannelId.constructor_new_zero(),
      0n,
      onion.firstAmountMsat,
      paymentHash,
      onion.firstCltvExpiry,
      ldk.Option_u64Z.constructor_none(),
      packet.res,
      null,
    );
    const r = ldk.UtilMethods.constructor_peel_payment_onion(
      add,
      lsp.km.as_NodeSigner(),
      quietLogger(),
      800_000,
      false,
    );
    if (!(r instanceof ldk.Result_PendingHTLCInfoInboundHTLCErrZ_OK)) {
      throw new Error(`ldk: peel failed: ${(r as ldk.Result_PendingHTLCInfoInboundHTLCErrZ_Err).err.get_msg()}`);
    }
    const routing = r.res.get_routing();
    expect(routing).to.be.instanceOf(ldk.PendingHTLCRouting_Forward);
    const fwd = routing as ldk.PendingHTLCRouting_Forward;
    expect(fwd.short_channel_id).to.equal(interceptScid);
    expect(toHex(fwd.blinded.get_inbound_blinding_point())).to.equal(toHex(path.firstPathKey));
    expect(r.res.get_outgoing_amt_msat()).to.equal(forwardAmountMsat(onion.firstAmountMsat, relay));
    expect(r.res.get_outgoing_amt_msat()).to.equal(50_000_000n);
    expect(r.res.get_outgoing_cltv_value()).to.equal(onion.firstCltvExpiry - 144);
    // the client (our code) peels what LDK forwards, with the path key the LSP would send along
    const nextPathKey = deriveNextPathKey(
      path.firstPathKey,
      unblindHop(lsp.nodeSecret, path.firstPathKey, path.hops[0].encryptedRecipientData).sharedSecret,
    );
    const mine = peelPaymentOnion({
      packet: decodeOnionPacket(fwd.onion_packet.write(), { payloadsLength: 1300 }),
      nodePrivkey: client.nodeSecret,
      paymentHash,
      updateAddPathKey: nextPathKey,
      incomingAmountMsat: r.res.get_outgoing_amt_msat(),
      incomingCltvExpiry: r.res.get_outgoing_cltv_value(),
    });
    expect(mine.action.kind).to.equal('receive');
    if (mine.action.kind !== 'receive') return;
    expect(mine.action.amtToForwardMsat).to.equal(50_000_000n);
    expect(mine.action.outgoingCltvValue).to.equal(800_010);
    expect(toHex(mine.action.pathId!)).to.equal('77'.repeat(32));
  });
});

/**
 * The client hop of an LDK path holds LDK's private ReceiveTlvs (even types >= 65536 that only LDK
 * understands), so a strict decode rightly fails with 'unknown-even'; reaching that point proves
 * the ChaCha20-Poly1305 tag verified under our derived path key.
 */
function unblindHopLenient(secret: Uint8Array, pathKey: Uint8Array, enc: Uint8Array): boolean {
  try {
    unblindHop(secret, pathKey, enc);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'unknown-even';
  }
}
