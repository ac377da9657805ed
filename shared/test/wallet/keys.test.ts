import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { HDKey } from '@scure/bip32';
import { WIF } from '@scure/btc-signer';
import { WalletKeys, toBcoinRegtestAddress } from '../../src/wallet/index.js';
import { SEED } from './fixtures.js';

/** BIP 84's published vectors, read from the repository's copy. */
function bip84Vectors() {
  const text = readFileSync(new URL('../../../vectors/bip84/bip-0084-test-vectors.txt', import.meta.url), 'utf8');
  const values = (name: string) =>
    [...text.matchAll(new RegExp(`^\\s*${name}\\s*=\\s*(.+)$`, 'gm'))].map((m) => m[1].trim());
  return {
    mnemonic: values('mnemonic')[0],
    rootnode: values('rootnode')[0],
    xpriv: values('xpriv')[0],
    privkeys: values('privkey'),
    pubkeys: values('pubkey'),
    addresses: values('address'),
  };
}

// zprv / zpub (SLIP-132), the version bytes BIP 84 prints its extended keys with.
const ZVERSIONS = { private: 0x04b2430c, public: 0x04b24746 };

describe('wallet keys (BIP 84)', () => {
  const v = bip84Vectors();
  // BIP 39: the seed is PBKDF2-HMAC-SHA512 of the mnemonic, salt "mnemonic", 2048 rounds.
  const seed = pbkdf2(sha512, v.mnemonic, 'mnemonic', { c: 2048, dkLen: 64 });

  it('reads the three key vectors from the copied BIP', () => {
    expect(v.addresses).to.have.length(3);
    expect(v.pubkeys).to.have.length(3);
  });

  it('derives the BIP 84 root and account 0 extended keys from the vector mnemonic', () => {
    const root = HDKey.fromMasterSeed(seed, ZVERSIONS);
    expect(root.privateExtendedKey).to.equal(v.rootnode);
    expect(root.derive("m/84'/0'/0'").privateExtendedKey).to.equal(v.xpriv);
  });

  const cases: [string, 'receive' | 'change', number, number][] = [
    ["m/84'/0'/0'/0/0", 'receive', 0, 0],
    ["m/84'/0'/0'/0/1", 'receive', 1, 1],
    ["m/84'/0'/0'/1/0", 'change', 0, 2],
  ];
  for (const [path, branch, index, row] of cases) {
    it(`gives the vector's private key, public key and bc1 address at ${path}`, () => {
      const k = WalletKeys.fromSeed(seed, 'bitcoin');
      expect(k.path(branch, index)).to.equal(path);
      expect(bytesToHex(k.key(branch, index).publicKey)).to.equal(v.pubkeys[row]);
      expect(k.address(branch, index)).to.equal(v.addresses[row]);
      expect(WIF().encode(k.privateKey(branch, index))).to.equal(v.privkeys[row]);
    });
  }

  it('uses coin type 1 and the network prefix on the test networks', () => {
    const k = WalletKeys.fromSeed(SEED, 'regtest');
    expect(k.path('receive', 3)).to.equal("m/84'/1'/0'/0/3");
    expect(k.address('receive', 0)).to.match(/^bcrt1q/);
    expect(WalletKeys.fromSeed(SEED, 'signet').address('receive', 0)).to.match(/^tb1q/);
    expect(WalletKeys.fromSeed(SEED, 'testnet4').address('receive', 0)).to.equal(
      WalletKeys.fromSeed(SEED, 'testnet').address('receive', 0),
    );
    expect(WalletKeys.fromSeed(SEED, 'bitcoin').address('receive', 0)).to.match(/^bc1q/);
  });

  it("gives bcoin's rb1 spelling of a regtest address, same program", () => {
    const k = WalletKeys.fromSeed(SEED, 'regtest');
    const rb = toBcoinRegtestAddress(k.address('receive', 0));
    expect(rb).to.match(/^rb1q/);
    expect(rb.slice(4, -6)).to.equal(k.address('receive', 0).slice(6, -6));
    expect(() => toBcoinRegtestAddress(WalletKeys.fromSeed(SEED, 'bitcoin').address('receive', 0))).to.throw(/bcrt1q/);
  });

  it('keeps receive and change keys apart, and apart from the keys LDK derives at m/0h..m/6h', () => {
    const k = WalletKeys.fromSeed(SEED, 'regtest');
    expect(bytesToHex(k.key('receive', 0).publicKey)).to.not.equal(bytesToHex(k.key('change', 0).publicKey));
    const master = HDKey.fromMasterSeed(SEED);
    const ldk = new Set([0, 1, 2, 3, 4, 5, 6].map((i) => bytesToHex(master.deriveChild(i + 0x80000000).publicKey!)));
    for (let i = 0; i < 5; i++) {
      expect(ldk.has(bytesToHex(k.key('receive', i).publicKey))).to.equal(false);
      expect(ldk.has(bytesToHex(k.key('change', i).publicKey))).to.equal(false);
    }
  });

  it('finds a script only within the watched window', () => {
    const k = WalletKeys.fromSeed(SEED, 'regtest');
    const script = bytesToHex(k.key('receive', 25).script);
    expect(k.lookup(script, { receive: 20, change: 20 })).to.equal(undefined);
    expect(k.lookup(script, { receive: 26, change: 20 })).to.deep.equal({ branch: 'receive', index: 25 });
  });

  it('refuses a seed shorter than 16 bytes', () => {
    expect(() => WalletKeys.fromSeed(new Uint8Array(8), 'regtest')).to.throw(RangeError);
  });
});
