import { expect } from 'chai';
import { getPublicKey } from '../../src/crypto/index.js';
import {
  LN_SIGNATURE_LENGTH,
  lnRecoverNodeId,
  lnSign,
  lnVerify,
  zbase32Decode,
  zbase32Encode,
} from '../../src/lsps0/index.js';
import { initLdk, ldk, ldkKeys } from '../sphinx/ldk-wasm.js';

const SECRET = new Uint8Array(32).fill(7);
const NODE_ID = getPublicKey(SECRET);
const MSG = new TextEncoder().encode(
  'LSPS5: DO NOT SIGN THIS MESSAGE MANUALLY: LSP: At 2023-05-04T10:52:58.395Z I notify {}',
);

describe('LSPS0.ln_signature (bLIP-50: zbase32 of LND signmessage)', () => {
  before(async () => {
    await initLdk();
  });

  it('round-trips zbase32 over the alphabet of Zimmermann', () => {
    expect(zbase32Encode(Uint8Array.from([0xf0, 0xbf, 0xc7]))).to.equal('6n9hq');
    const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 37) & 0xff);
    expect(zbase32Decode(zbase32Encode(bytes))).to.deep.equal(bytes);
  });

  it('refuses letters outside the lower-case alphabet (an upper-cased signature is not the same string)', () => {
    expect(zbase32Decode('6N9HQ')).to.equal(null);
    expect(zbase32Decode('6n9h0')).to.equal(null);
  });

  it('makes 104-letter signatures that recover the signing node id', () => {
    const sig = lnSign(MSG, SECRET);
    expect(sig).to.have.length(LN_SIGNATURE_LENGTH);
    expect(lnRecoverNodeId(MSG, sig)).to.deep.equal(NODE_ID);
    expect(lnVerify(MSG, sig, NODE_ID)).to.equal(true);
  });

  it('fails verification for another message, another key, or a changed letter', () => {
    const sig = lnSign(MSG, SECRET);
    expect(lnVerify(new TextEncoder().encode('other'), sig, NODE_ID)).to.equal(false);
    expect(lnVerify(MSG, sig, getPublicKey(new Uint8Array(32).fill(8)))).to.equal(false);
    const flipped = (sig[10] === 'y' ? 'b' : 'y') + '';
    expect(lnVerify(MSG, sig.slice(0, 10) + flipped + sig.slice(11), NODE_ID)).to.equal(false);
    expect(lnVerify(MSG, sig.toUpperCase(), NODE_ID)).to.equal(false);
    expect(lnVerify(MSG, sig.slice(0, 103), NODE_ID)).to.equal(false);
  });

  it('LDK verifies our signature, and we verify LDK’s (UtilMethods.constructor_sign / constructor_verify)', () => {
    const { nodeId, nodeSecret } = ldkKeys(42);
    const ours = lnSign(MSG, nodeSecret);
    // The bindings return the C bool as a number.
    expect(Boolean(ldk.UtilMethods.constructor_verify(MSG, ours, nodeId))).to.equal(true);
    expect(Boolean(ldk.UtilMethods.constructor_verify(MSG, ours, NODE_ID))).to.equal(false);
    const theirs = ldk.UtilMethods.constructor_sign(MSG, nodeSecret);
    expect(lnVerify(MSG, theirs, nodeId)).to.equal(true);
    // RFC 6979 nonces: the same key and message give the same signature in both implementations.
    expect(theirs).to.equal(ours);
  });
});
