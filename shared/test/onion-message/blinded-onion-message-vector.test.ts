import { expect } from 'chai';
import { toHex } from '../../src/crypto/hex.js';
import { hmacSha256, sha256 } from '../../src/crypto/hashes.js';
import { blindPath, encodeEncryptedDataTlv } from '../../src/blinding/index.js';
import {
  buildOnionMessage,
  constructOnionMessage,
  decodeOnionMessage,
  encodeOnionMessage,
  encodeOnionPacketHex,
  peelOnionMessage,
} from './helpers.js';
import { hex, loadBolt04 } from '../sphinx/bolt04-vectors.js';
import { typedTlvs } from '../blinding/vector-tlvs.js';

// BOLT 4 blinded-onion-message-onion-test.json: Dave published the blinded path Bob -> Carol -> Dave;
// the sender prepends Alice (its own blinded hop, joined with next_path_key_override) and sends
// "hello" (unknown odd type 1). Keys are read by name: E, ss, rho, `H(E || ss)`, ...
const v = loadBolt04('blinded-onion-message-onion-test.json');
const gen: any[] = v.generate.hops;
const nodeIds = [
  v.route.first_node_id,
  gen[0].tlvs.next_node_id,
  gen[1].tlvs.next_node_id,
  gen[2].tlvs.next_node_id,
].map(hex);
const hello = { unknown: [{ type: 1n, value: hex(v.onionmessage.unknown_tag_1) }] };

const prefix = blindPath(hex(gen[0].path_key_secret), [{ nodeId: nodeIds[0], data: hex(gen[0].encrypted_data_tlv) }]);
const davePath = blindPath(
  hex(gen[1].path_key_secret),
  gen.slice(1).map((h, i) => ({ nodeId: nodeIds[i + 1], data: hex(h.encrypted_data_tlv) })),
);
const built = [...prefix.hops, ...davePath.hops];
const hops = [...prefix.path.hops, ...davePath.path.hops];

describe('BOLT 4 blinded-onion-message-onion-test.json', () => {
  describe('generate', () => {
    gen.forEach((h, i) => {
      it(`hop ${i} (${h.alias}): the typed tlvs encode to encrypted_data_tlv`, () => {
        expect(toHex(encodeEncryptedDataTlv(typedTlvs(h.tlvs)))).to.equal(h.encrypted_data_tlv);
      });
      it(`hop ${i} (${h.alias}): E, ss, the blinding HMAC, blinded node id, H(E||ss), next e, rho and encrypted data match`, () => {
        const b = built[i];
        expect(toHex(b.pathPrivkey)).to.equal(h.path_key_secret);
        expect(toHex(b.pathKey)).to.equal(h.E);
        expect(toHex(b.sharedSecret)).to.equal(h.ss);
        expect(toHex(hmacSha256(new TextEncoder().encode('blinded_node_id'), b.sharedSecret))).to.equal(
          h["HMAC256('blinded_node_id', ss)"],
        );
        expect(toHex(b.blindedNodeId)).to.equal(h.blinded_node_id);
        expect(toHex(sha256(new Uint8Array([...b.pathKey, ...b.sharedSecret])))).to.equal(h['H(E || ss)']);
        // `next_e` is printed as the 32-byte secret followed by a 0x01 marker byte.
        expect(toHex(b.nextPathPrivkey) + '01').to.equal(h.next_e);
        expect(toHex(b.rho)).to.equal(h.rho);
        expect(toHex(b.encryptedRecipientData)).to.equal(h.encrypted_recipient_data);
      });
    });
  });

  it('route: Alice is the first node, E_0 of the sender prefix the first path key, then the four blinded hops', () => {
    expect(toHex(nodeIds[0])).to.equal(v.route.first_node_id);
    expect(toHex(prefix.path.firstPathKey)).to.equal(v.route.first_path_key);
    expect(
      hops.map((x) => ({
        blinded_node_id: toHex(x.blindedNodeId),
        encrypted_recipient_data: toHex(x.encryptedRecipientData),
      })),
    ).to.deep.equal(v.route.hops);
  });

  it('onionmessage: the Sphinx packet over the blinded hops matches onion_message_packet', () => {
    const m = constructOnionMessage({
      sessionKey: hex(v.generate.session_key),
      firstPathKey: prefix.path.firstPathKey,
      hops,
      finalPayload: hello,
    });
    expect(encodeOnionPacketHex(m.packet)).to.equal(v.onionmessage.onion_message_packet);
    expect(toHex(encodeOnionMessage(m))).to.equal(v.decrypt.hops[0].onion_message);
  });

  it("onionmessage: buildOnionMessage joins Alice onto Dave's path and produces the same message", () => {
    const { firstNodeId, message } = buildOnionMessage({
      sessionKey: hex(v.generate.session_key),
      blindingSessionKey: hex(gen[0].path_key_secret),
      intermediateNodeIds: [nodeIds[0]],
      destination: { kind: 'blindedPath', path: davePath.path },
      contents: hello,
      pad: false,
    });
    expect(toHex(firstNodeId)).to.equal(v.route.first_node_id);
    expect(toHex(encodeOnionMessage(message))).to.equal(v.decrypt.hops[0].onion_message);
  });

  describe('decrypt', () => {
    const dec: any[] = v.decrypt.hops;
    dec.forEach((h, i) => {
      it(`hop ${i} (${h.alias}): peels the 0x0201-prefixed onion_message and ${i < dec.length - 1 ? 'forwards the next one' : 'receives hello'}`, () => {
        const msg = decodeOnionMessage(hex(h.onion_message));
        expect(toHex(encodeOnionMessage(msg))).to.equal(h.onion_message);
        const r = peelOnionMessage(msg, hex(h.privkey));
        if (i < dec.length - 1) {
          expect(r.kind).to.equal('forward');
          if (r.kind !== 'forward') return;
          expect(toHex((r.next as { nodeId: Uint8Array }).nodeId)).to.equal(h.next_node_id);
          expect(toHex(encodeOnionMessage(r.message))).to.equal(dec[i + 1].onion_message);
        } else {
          expect(r.kind).to.equal('receive');
          if (r.kind !== 'receive') return;
          expect(toHex(r.payload.unknown![0].value)).to.equal(h.tlvs.unknown_tag_1);
          expect(r.payload.unknown![0].type).to.equal(1n);
          expect(toHex(r.payload.encryptedRecipientData!)).to.equal(h.tlvs.encrypted_recipient_data);
          expect(toHex(r.data.pathId!)).to.equal(gen[3].tlvs.path_id);
        }
      });
    });
  });
});
