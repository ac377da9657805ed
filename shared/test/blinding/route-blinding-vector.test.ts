import { expect } from 'chai';
import { toHex } from '../../src/crypto/hex.js';
import { blindPath, decodeEncryptedDataTlv, encodeEncryptedDataTlv, unblindHop } from '../../src/blinding/index.js';
import { encodeBlindedPath } from '../../src/wire/blinded-path.js';
import { hex, loadBolt04 } from '../sphinx/bolt04-vectors.js';
import { typedTlvs } from './vector-tlvs.js';

// BOLT 4 route-blinding-test.json: Bob -> Carol (built by Bob, session 0x02..) joined through
// Carol's next_path_key_override with Dave -> Eve (built by Eve, session 0x01..).
const v = loadBolt04('route-blinding-test.json');
const gen: any[] = v.generate.hops;

describe('BOLT 4 route-blinding-test.json', () => {
  describe('generate', () => {
    // Bob's session covers Bob and Carol; Eve's covers Dave and Eve.
    const bobCarol = blindPath(
      hex(gen[0].session_key),
      gen.slice(0, 2).map((h) => ({ nodeId: hex(h.node_id), data: hex(h.encoded_tlvs) })),
    );
    const daveEve = blindPath(
      hex(gen[2].session_key),
      gen.slice(2, 4).map((h) => ({ nodeId: hex(h.node_id), data: hex(h.encoded_tlvs) })),
    );
    const built = [...bobCarol.hops, ...daveEve.hops];

    gen.forEach((h, i) => {
      it(`hop ${i} (${h.alias}): the typed tlvs encode to encoded_tlvs and decode back`, () => {
        expect(toHex(encodeEncryptedDataTlv(typedTlvs(h.tlvs)))).to.equal(h.encoded_tlvs);
        const round = decodeEncryptedDataTlv(hex(h.encoded_tlvs));
        expect(toHex(encodeEncryptedDataTlv(round))).to.equal(h.encoded_tlvs);
      });
      it(`hop ${i} (${h.alias}): path key, shared secret, rho, encrypted data and blinded node id match`, () => {
        const b = built[i];
        expect(toHex(b.pathPrivkey)).to.equal(h.path_privkey);
        expect(toHex(b.pathKey)).to.equal(h.path_key);
        expect(toHex(b.sharedSecret)).to.equal(h.shared_secret);
        expect(toHex(b.rho)).to.equal(h.rho);
        expect(toHex(b.encryptedRecipientData)).to.equal(h.encrypted_data);
        expect(toHex(b.blindedNodeId)).to.equal(h.blinded_node_id);
      });
    });

    it('route: the concatenated path has Bob as introduction node, E_0 as first path key, and the four hops', () => {
      const route = { ...bobCarol.path, hops: [...bobCarol.path.hops, ...daveEve.path.hops] };
      expect(toHex((route.introduction as { nodeId: Uint8Array }).nodeId)).to.equal(v.route.first_node_id);
      expect(toHex(route.firstPathKey)).to.equal(v.route.first_path_key);
      expect(
        route.hops.map((x) => ({
          blinded_node_id: toHex(x.blindedNodeId),
          encrypted_data: toHex(x.encryptedRecipientData),
        })),
      ).to.deep.equal(v.route.hops);
      // and it serializes as a BOLT 12 blinded_path: 33 + 33 + 1 + sum(33 + 2 + enclen)
      const bytes = encodeBlindedPath(route).finish();
      expect(bytes.length).to.equal(67 + route.hops.reduce((a, x) => a + 35 + x.encryptedRecipientData.length, 0));
    });
  });

  describe('unblind', () => {
    (v.unblind.hops as any[]).forEach((h, i) => {
      it(`hop ${i} (${h.alias}): decrypts its data, derives its blinded private key and the next path key`, () => {
        const u = unblindHop(hex(h.node_privkey), hex(h.path_key), hex(v.route.hops[i].encrypted_data));
        expect(toHex(u.blindedPrivkey)).to.equal(h.blinded_privkey);
        expect(toHex(u.plaintext)).to.equal(h.decrypted_data);
        expect(toHex(u.derivedNextPathKey)).to.equal(h.next_path_key);
        expect(toHex(u.nextPathKey)).to.equal(h.next_path_key_override ?? h.next_path_key);
      });
    });
  });
});
