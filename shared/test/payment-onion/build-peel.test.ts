import { expect } from 'chai';
import { getPublicKey } from '../../src/crypto/secp256k1.js';
import { buildBlindedPaymentPath } from '../../src/blinding/index.js';
import { OnionError } from '../../src/sphinx/index.js';
import {
  buildBlindedPaymentOnion,
  decodePaymentOnionPayload,
  encodePaymentOnionPayload,
  peelPaymentOnion,
  type PeeledPaymentOnion,
} from '../../src/payment-onion/index.js';

const secret = (b: number) => new Uint8Array(32).fill(b);
const [payerPeerS, hubS, lspS, clientS] = [0x41, 0x42, 0x4c, 0x43].map(secret);
const [payerPeer, hub, lsp, client] = [payerPeerS, hubS, lspS, clientS].map(getPublicKey);
const paymentHash = secret(0x99);
const lspRelay = { cltvExpiryDelta: 144, feeBaseMsat: 1000, feeProportionalMillionths: 2500 };
const { path, payinfo } = buildBlindedPaymentPath({
  sessionKey: secret(0x51),
  forwardHops: [{ nodeId: lsp, shortChannelId: 0xabcn, relay: lspRelay }],
  recipient: { nodeId: client, pathId: secret(0x77), constraints: { maxCltvExpiry: 900_000, htlcMinimumMsat: 1n } },
  minFinalCltvExpiryDelta: 24,
});

describe('payment onions through a blinded LSP path', () => {
  it('two clear hops with fees, then the LSP and the client: every hop computes what the sender promised', () => {
    const onion = buildBlindedPaymentOnion({
      sessionKey: secret(0x61),
      paymentHash,
      blindedPath: path,
      payinfo,
      amountMsat: 50_000_000n,
      finalCltv: 800_000,
      clearHops: [
        {
          nodeId: payerPeer,
          shortChannelId: 1n,
          feeBaseMsat: 1000,
          feeProportionalMillionths: 100,
          cltvExpiryDelta: 40,
        },
        { nodeId: hub, shortChannelId: 2n, feeBaseMsat: 500, feeProportionalMillionths: 0, cltvExpiryDelta: 80 },
      ],
    });
    const keys = [payerPeerS, hubS, lspS, clientS];
    let htlc = {
      amountMsat: onion.firstAmountMsat,
      cltv: onion.firstCltvExpiry,
      pathKey: undefined as Uint8Array | undefined,
      packet: onion.packet,
    };
    const results: PeeledPaymentOnion[] = [];
    for (const nodePrivkey of keys) {
      const r = peelPaymentOnion({
        packet: htlc.packet,
        nodePrivkey,
        paymentHash,
        updateAddPathKey: htlc.pathKey,
        incomingAmountMsat: htlc.amountMsat,
        incomingCltvExpiry: htlc.cltv,
      });
      results.push(r);
      if (r.action.kind === 'forward')
        htlc = {
          amountMsat: r.action.amtToForwardMsat!,
          cltv: r.action.outgoingCltvValue!,
          pathKey: r.action.nextPathKey,
          packet: r.action.packet,
        };
    }
    expect(results.map((r) => r.action.kind)).to.deep.equal(['forward', 'forward', 'forward', 'receive']);
    expect(results.map((r) => (r.action.kind === 'forward' ? r.action.shortChannelId : undefined))).to.deep.equal([
      1n,
      2n,
      0xabcn,
      undefined,
    ]);
    // clear hops earn exactly their BOLT 7 fee: the hub keeps 500 msat
    const hubIn = (results[0].action as { amtToForwardMsat: bigint }).amtToForwardMsat;
    const lspIn = (results[1].action as { amtToForwardMsat: bigint }).amtToForwardMsat;
    expect(hubIn - lspIn).to.equal(500n);
    // the LSP forwards per its payment_relay, and the client receives the full amount
    const last = results[3].action;
    if (last.kind !== 'receive') throw new Error('unreachable');
    expect(last.amtToForwardMsat).to.equal(50_000_000n);
    expect(htlc.amountMsat >= 50_000_000n).to.equal(true);
    expect(htlc.cltv).to.equal(800_000 + 24);
    expect(last.pathId).to.deep.equal(secret(0x77));
    expect(results[2].blinded?.data.shortChannelId).to.equal(0xabcn);
  });

  it('a direct peer of the LSP puts current_path_key in the LSP payload, not in update_add_htlc', () => {
    const onion = buildBlindedPaymentOnion({
      sessionKey: secret(0x62),
      paymentHash,
      blindedPath: path,
      payinfo,
      amountMsat: 1000n,
      finalCltv: 800_000,
      clearHops: [],
    });
    expect(onion.firstNodeId).to.deep.equal(lsp);
    expect(onion.payloads[0].currentPathKey).to.deep.equal(path.firstPathKey);
    expect(onion.payloads[1]).to.have.keys([
      'encryptedRecipientData',
      'amtToForwardMsat',
      'outgoingCltvValue',
      'totalAmountMsat',
    ]);
  });

  it("rejects an HTLC below the blinded hop's htlc_minimum_msat and one past max_cltv_expiry", () => {
    const onion = buildBlindedPaymentOnion({
      sessionKey: secret(0x63),
      paymentHash,
      blindedPath: path,
      payinfo,
      amountMsat: 1000n,
      finalCltv: 800_000,
      clearHops: [],
    });
    expect(() => peelPaymentOnion({ packet: onion.packet, nodePrivkey: lspS, paymentHash, incomingAmountMsat: 0n }))
      .to.throw(OnionError)
      .with.property('code', 'invalid-payload');
    expect(() =>
      peelPaymentOnion({ packet: onion.packet, nodePrivkey: lspS, paymentHash, incomingCltvExpiry: 2_000_000 }),
    ).to.throw(OnionError, /max_cltv_expiry/);
  });

  it('round-trips every payload field, keeping unknown odd types', () => {
    const p = {
      amtToForwardMsat: 1n,
      outgoingCltvValue: 2,
      shortChannelId: 3n,
      paymentData: { paymentSecret: secret(4), totalMsat: 5n },
      encryptedRecipientData: Uint8Array.of(6),
      currentPathKey: lsp,
      paymentMetadata: Uint8Array.of(7),
      totalAmountMsat: 8n,
      unknown: [{ type: 65_537n, value: Uint8Array.of(9) }],
    };
    expect(decodePaymentOnionPayload(encodePaymentOnionPayload(p))).to.deep.equal(p);
  });
});
