import { expect } from 'chai';
import { toHex } from '../../src/crypto/hex.js';
import { BigSize } from '../../src/tlv/index.js';
import { aggregateBlindedPayinfo, encodeEncryptedDataTlv } from '../../src/blinding/index.js';
import { decodeOnionPacket, encodeOnionPacket } from '../../src/sphinx/index.js';
import {
  buildBlindedPaymentOnion,
  encodePaymentOnionPayload,
  peelPaymentOnion,
} from '../../src/payment-onion/index.js';
import type { BlindedPath } from '../../src/wire/blinded-path.js';
import { hex, loadBolt04, scidFromString } from '../sphinx/bolt04-vectors.js';
import { typedTlvs } from '../blinding/vector-tlvs.js';

// BOLT 4 blinded-payment-onion-test.json: the sender pays Eve through Alice (clear, no fee) and
// Eve's blinded path Bob -> Carol -> Dave -> Eve.
const v = loadBolt04('blinded-payment-onion-test.json');
const g = v.generate;
const route: any[] = g.full_route.hops;
const paymentHash = hex(g.associated_data);
const blindedPath: BlindedPath = {
  introduction: { kind: 'nodeId', nodeId: hex(g.blinded_route.first_node_id) },
  firstPathKey: hex(g.blinded_route.first_path_key),
  hops: (g.blinded_route.hops as any[]).map((h) => ({
    blindedNodeId: hex(h.blinded_node_id),
    encryptedRecipientData: hex(h.encrypted_data),
  })),
};
const bare = (p: string): string => {
  const b = hex(p);
  return toHex(b.subarray(BigSize.decode(b, 0).length));
};
const forwardData = route.slice(1, 4).map((h) => typedTlvs(h.tlvs.encrypted_recipient_data));

const onion = buildBlindedPaymentOnion({
  sessionKey: hex(g.session_key),
  paymentHash,
  clearHops: [{ nodeId: hex(route[0].pubkey), shortChannelId: scidFromString(route[0].tlvs.outgoing_channel_id) }],
  blindedPath,
  payinfo: {
    feeBaseMsat: g.blinded_payinfo.fee_base_msat,
    feeProportionalMillionths: g.blinded_payinfo.fee_proportional_millionths,
    cltvExpiryDelta: g.blinded_payinfo.cltv_expiry_delta,
  },
  amountMsat: BigInt(g.final_amount_msat),
  finalCltv: g.final_cltv,
  totalAmountMsat: BigInt(route[4].tlvs.total_amount_msat),
});

describe('BOLT 4 blinded-payment-onion-test.json', () => {
  it("blinded_payinfo: Bob, Carol and Dave's payment_relay aggregate to fee_base 10100, ppm 251, cltv delta 150", () => {
    const payinfo = aggregateBlindedPayinfo({
      forwardHops: forwardData.map((d) => ({ relay: d.paymentRelay!, constraints: d.paymentConstraints! })),
      recipientHtlcMinimumMsat: 50n,
      minFinalCltvExpiryDelta: 0,
    })!;
    expect({
      fee_base_msat: payinfo.feeBaseMsat,
      fee_proportional_millionths: payinfo.feeProportionalMillionths,
      cltv_expiry_delta: payinfo.cltvExpiryDelta,
    }).to.deep.equal({
      fee_base_msat: g.blinded_payinfo.fee_base_msat,
      fee_proportional_millionths: g.blinded_payinfo.fee_proportional_millionths,
      cltv_expiry_delta: g.blinded_payinfo.cltv_expiry_delta,
    });
  });

  route.forEach((h, i) => {
    it(`full_route hop ${i} (${h.alias}): the payload is byte for byte the vector's`, () => {
      expect(toHex(encodePaymentOnionPayload(onion.payloads[i]))).to.equal(bare(h.payload));
    });
  });

  it('onion: the whole 1366-byte onion matches, sent to Alice with 110125 msat at 749150', () => {
    expect(toHex(encodeOnionPacket(onion.packet))).to.equal(g.onion);
    expect(toHex(onion.firstNodeId)).to.equal(route[0].pubkey);
    expect(onion.firstAmountMsat).to.equal(BigInt(route[0].tlvs.amt_to_forward));
    expect(onion.firstCltvExpiry).to.equal(route[0].tlvs.outgoing_cltv_value);
  });

  describe('decrypt', () => {
    const dec: any[] = v.decrypt.hops;
    // The HTLC each hop receives: Alice forwards 110125 @ 749150; blinded hops compute theirs from payment_relay.
    let incoming = { amountMsat: onion.firstAmountMsat, cltv: onion.firstCltvExpiry };
    let pathKey: Uint8Array | undefined;
    dec.forEach((h, i) => {
      it(`hop ${i} (${h.alias}): peels its layer${i < dec.length - 1 ? ' and forwards the next onion' : ' and receives 100000 msat'}`, () => {
        const r = peelPaymentOnion({
          packet: decodeOnionPacket(hex(h.onion), { payloadsLength: 1300 }),
          nodePrivkey: hex(h.node_privkey),
          paymentHash,
          updateAddPathKey: pathKey,
          incomingAmountMsat: i === 0 ? undefined : incoming.amountMsat,
          incomingCltvExpiry: i === 0 ? undefined : incoming.cltv,
        });
        expect(toHex(encodePaymentOnionPayload(r.payload))).to.equal(bare(route[i].payload));
        if (i > 0) {
          expect(toHex(encodeEncryptedDataTlv(r.blinded!.data))).to.equal(
            toHex(encodeEncryptedDataTlv(typedTlvs(route[i].tlvs.encrypted_recipient_data))),
          );
          expect(toHex(r.blinded!.nextPathKey)).to.equal(h.next_path_key);
        }
        if (r.action.kind === 'forward') {
          expect(toHex(encodeOnionPacket(r.action.packet))).to.equal(dec[i + 1].onion);
          if (i === 0) expect(r.action.shortChannelId).to.equal(scidFromString(route[0].tlvs.outgoing_channel_id));
          else expect(r.action.shortChannelId).to.equal(forwardData[i - 1].shortChannelId);
          incoming = { amountMsat: r.action.amtToForwardMsat!, cltv: r.action.outgoingCltvValue! };
          pathKey = r.action.nextPathKey;
        } else {
          expect(i).to.equal(dec.length - 1);
          expect(r.action.amtToForwardMsat).to.equal(BigInt(g.final_amount_msat));
          expect(r.action.totalAmountMsat).to.equal(BigInt(route[4].tlvs.total_amount_msat));
          expect(r.action.pathId && toHex(r.action.pathId)).to.equal(route[4].tlvs.encrypted_recipient_data.path_id);
          // the blinded forwarders' payment_relay delivered exactly what the sender promised Eve
          expect(incoming).to.deep.equal({ amountMsat: BigInt(g.final_amount_msat), cltv: g.final_cltv });
        }
      });
    });
  });
});
