import { expect } from 'chai';
import {
  ecdh,
  equalBytes,
  fromHex,
  getPublicKey,
  getXOnlyPublicKey,
  pointMultiply,
  privateMultiply,
  schnorrSign,
  schnorrVerify,
  Secp256k1Error,
  taggedHash,
  toHex,
} from '../../src/crypto/index.js';

const k = (b: number) => new Uint8Array(32).fill(b);

describe('the crypto module', () => {
  it('derives the BOLT 4 shared secret identically from both sides', () => {
    expect(toHex(ecdh(k(1), getPublicKey(k(2))))).to.equal(toHex(ecdh(k(2), getPublicKey(k(1)))));
  });

  it('multiplies scalars so that (a*b)G equals b(aG)', () => {
    expect(toHex(getPublicKey(privateMultiply(k(3), k(5))))).to.equal(toHex(pointMultiply(getPublicKey(k(3)), k(5))));
  });

  it('signs and verifies BIP-340 signatures and rejects a flipped bit', () => {
    const msg = taggedHash('jitlsp-test', Uint8Array.of(1));
    const sig = schnorrSign(msg, k(7));
    expect(schnorrVerify(sig, msg, getXOnlyPublicKey(k(7)))).to.equal(true);
    sig[5]! ^= 1;
    expect(schnorrVerify(sig, msg, getXOnlyPublicKey(k(7)))).to.equal(false);
    expect(schnorrVerify(sig.subarray(1), msg, getXOnlyPublicKey(k(7)))).to.equal(false);
  });

  it('rejects an invalid private key with a typed error', () => {
    expect(() => getPublicKey(new Uint8Array(32))).to.throw(Secp256k1Error, /privateKey/);
    expect(() => pointMultiply(new Uint8Array(33), k(1))).to.throw(Secp256k1Error, /point/);
  });

  it('parses hex strictly, naming the field', () => {
    expect(() => fromHex('abc', 'promise')).to.throw(/promise: expected an even-length hex string/);
    expect(() => fromHex('zz', 'node_id')).to.throw(/node_id/);
    expect(() => fromHex('00', 'node_id', 33)).to.throw(/node_id: expected 33 bytes, got 1/);
  });

  it('compares bytes without early exit semantics leaking into results', () => {
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).to.equal(true);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).to.equal(false);
    expect(equalBytes(Uint8Array.of(1), Uint8Array.of(1, 3))).to.equal(false);
  });
});

describe('BIP-340 verification of malformed keys', () => {
  it('returns false, without throwing, for a key that is not on the curve', () => {
    const msg = new Uint8Array(32);
    const sig = schnorrSign(msg, new Uint8Array(32).fill(7));
    expect(schnorrVerify(sig, msg, new Uint8Array(32).fill(0xff))).to.equal(false);
    expect(schnorrVerify(sig, msg, new Uint8Array(32))).to.equal(false);
  });
});
