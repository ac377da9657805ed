import { expect } from 'chai';
import { BigSize } from '../../src/tlv/index.js';
import { toHex } from '../../src/crypto/hex.js';
import {
  constructOnionPacket,
  decodeOnionPacket,
  encodeOnionPacket,
  peelOnionPacket,
  type OnionPacket,
} from '../../src/sphinx/index.js';
import { hex, loadBolt04 } from './bolt04-vectors.js';

// BOLT 4 onion-test.json: a 5-hop payment onion with variable-length payloads (the third is 275 bytes).
const v = loadBolt04('onion-test.json');
/** The vector's payloads carry their bigsize length prefix; the builder wants the bare TLV stream. */
const bare = (p: string): Uint8Array => {
  const b = hex(p);
  const { length } = BigSize.decode(b, 0);
  return b.subarray(length);
};

describe('BOLT 4 onion-test.json (Sphinx payment onion)', () => {
  it('generate: builds the onion byte for byte from the session key, hops and associated data', () => {
    const { packet } = constructOnionPacket({
      sessionKey: hex(v.generate.session_key),
      associatedData: hex(v.generate.associated_data),
      hops: v.generate.hops.map((h: any) => ({ publicKey: hex(h.pubkey), payload: bare(h.payload) })),
    });
    expect(toHex(encodeOnionPacket(packet))).to.equal(v.onion);
  });

  let packet: OnionPacket | undefined;
  v.decode.forEach((privkey: string, i: number) => {
    it(`decode[${i}]: hop ${i} verifies the HMAC and reads its own payload`, () => {
      if (i === 0) packet = decodeOnionPacket(hex(v.onion), { payloadsLength: 1300 });
      expect(packet, 'the previous hop produced a packet').to.not.equal(undefined);
      const peeled = peelOnionPacket(packet!, {
        nodePrivkey: hex(privkey),
        associatedData: hex(v.generate.associated_data),
      });
      expect(toHex(peeled.payload)).to.equal(toHex(bare(v.generate.hops[i].payload)));
      const last = i === v.decode.length - 1;
      expect(peeled.next === undefined).to.equal(last);
      // the forwarded packet re-encodes to 1366 bytes and round-trips through the decoder
      if (peeled.next)
        expect(
          toHex(encodeOnionPacket(decodeOnionPacket(encodeOnionPacket(peeled.next), { payloadsLength: 1300 }))),
        ).to.equal(toHex(encodeOnionPacket(peeled.next)));
      packet = peeled.next;
    });
  });
});
