import { expect } from 'chai';
import { fromHex, toHex } from '../../src/crypto/hex.js';
import { hmacSha256, keyedHmacSha256 } from '../../src/crypto/hashes.js';

// RFC 4231 §4.2-§4.4 (HMAC-SHA-256 test cases 1-3).
const RFC4231 = [
  {
    name: 'test case 1',
    key: '0b'.repeat(20),
    data: toHex(new TextEncoder().encode('Hi There')),
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    name: 'test case 2',
    key: toHex(new TextEncoder().encode('Jefe')),
    data: toHex(new TextEncoder().encode('what do ya want for nothing?')),
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    name: 'test case 3',
    key: 'aa'.repeat(20),
    data: 'dd'.repeat(50),
    mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
];

describe('crypto/hashes: HMAC-SHA256 (RFC 4231)', () => {
  for (const v of RFC4231) {
    it(`hmacSha256 and keyedHmacSha256 give the RFC 4231 ${v.name} MAC`, () => {
      expect(toHex(hmacSha256(fromHex(v.key), fromHex(v.data)))).to.equal(v.mac);
      expect(toHex(keyedHmacSha256(fromHex(v.key))(fromHex(v.data)))).to.equal(v.mac);
    });
  }

  it('keyedHmacSha256 gives the same MAC for each message, however many it already made', () => {
    const mac = keyedHmacSha256(fromHex('0b'.repeat(20)));
    const msg = fromHex(RFC4231[0]!.data);
    mac(fromHex('ff'));
    expect(toHex(mac(msg))).to.equal(toHex(mac(msg)));
    expect(toHex(mac(msg))).to.equal(RFC4231[0]!.mac);
  });
});
