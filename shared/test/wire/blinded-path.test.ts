import { expect } from 'chai';
import { ByteReader, TlvError } from '../../src/tlv/index.js';
import {
  decodeBlindedPaths,
  decodeBlindedPayInfos,
  encodeBlindedPaths,
  encodeBlindedPayInfos,
  type BlindedPath,
} from '../../src/wire/index.js';

const point = (b: number) => Uint8Array.from([0x02, ...new Array(32).fill(b)]);
const makePath = (over: Partial<BlindedPath> = {}): BlindedPath => ({
  introduction: { kind: 'nodeId', nodeId: point(1) },
  firstPathKey: point(2),
  hops: [
    { blindedNodeId: point(3), encryptedRecipientData: Uint8Array.of(1, 2, 3) },
    { blindedNodeId: point(4), encryptedRecipientData: new Uint8Array(0) },
  ],
  ...over,
});

describe('BOLT 4 blinded_path and BOLT 12 blinded_payinfo', () => {
  it('round-trips a path introduced by a node id', () => {
    const bytes = encodeBlindedPaths([makePath()]);
    expect(bytes.length).to.equal(33 + 33 + 1 + (33 + 2 + 3) + (33 + 2));
    expect(decodeBlindedPaths(bytes)).to.deep.equal([makePath()]);
  });

  it('round-trips the compact short_channel_id-direction introduction (9 bytes)', () => {
    const p = makePath({ introduction: { kind: 'scidDir', direction: 1, scid: 0x0102030405060708n } });
    const bytes = encodeBlindedPaths([p, makePath()]);
    expect(bytes.subarray(0, 9)).to.deep.equal(Uint8Array.of(1, 1, 2, 3, 4, 5, 6, 7, 8));
    expect(decodeBlindedPaths(bytes)).to.deep.equal([p, makePath()]);
  });

  it('rejects an introduction whose first byte is not 0, 1, 2 or 3', () => {
    const bytes = encodeBlindedPaths([makePath()]);
    bytes[0] = 4;
    expect(() => decodeBlindedPaths(bytes, 'offer_paths')).to.throw(
      TlvError,
      /offer_paths\/sciddir_or_pubkey: expected first byte 0, 1, 2 or 3, got 4/,
    );
  });

  it('rejects a truncated hop with a typed error', () => {
    const bytes = encodeBlindedPaths([makePath()]);
    expect(() => decodeBlindedPaths(bytes.subarray(0, bytes.length - 1))).to.throw(TlvError, /expected/);
  });

  it('round-trips blinded_payinfo with features', () => {
    const infos = [
      {
        feeBaseMsat: 1,
        feeProportionalMillionths: 2,
        cltvExpiryDelta: 144,
        htlcMinimumMsat: 1000n,
        htlcMaximumMsat: 2n ** 64n - 1n,
        features: Uint8Array.of(0x80),
      },
    ];
    const bytes = encodeBlindedPayInfos(infos);
    expect(bytes.length).to.equal(4 + 4 + 2 + 8 + 8 + 2 + 1);
    expect(decodeBlindedPayInfos(bytes)).to.deep.equal(infos);
    expect(() => new ByteReader(bytes.subarray(0, 5)).u64()).to.throw(TlvError);
  });
});
