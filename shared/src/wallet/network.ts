/**
 * The networks the wallet runs on and their address encodings (BIP 173 bech32 / BIP 350 bech32m human-readable
 * parts, and the base58 version bytes for legacy destinations a withdrawal may pay to).
 *
 * Bitcoin Core's regtest uses `bcrt`; bcoin's regtest uses `rb` instead, so a test driving bcoin converts our
 * `bcrt1...` addresses with {@link toBcoinRegtestAddress}. The wallet itself only ever speaks the Core forms.
 */
import { Address, OutScript } from '@scure/btc-signer';
import type { BTC_NETWORK } from '@scure/btc-signer/utils.js';
import { bech32 } from '@scure/base';
import { WalletInputError } from './errors.js';

/** One name per network, as `JITLSP_NETWORK` spells them. */
export type WalletNetwork = 'bitcoin' | 'testnet' | 'testnet4' | 'signet' | 'regtest';

export const WALLET_NETWORKS: readonly WalletNetwork[] = ['bitcoin', 'testnet', 'testnet4', 'signet', 'regtest'];

const MAINNET: BTC_NETWORK = { bech32: 'bc', pubKeyHash: 0x00, scriptHash: 0x05, wif: 0x80 };
const TESTNETS: BTC_NETWORK = { bech32: 'tb', pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef };
const REGTEST: BTC_NETWORK = { ...TESTNETS, bech32: 'bcrt' };

/** The address parameters btc-signer needs for `network`. */
export function addressParams(network: WalletNetwork): BTC_NETWORK {
  switch (network) {
    case 'bitcoin':
      return MAINNET;
    case 'regtest':
      return REGTEST;
    case 'testnet':
    case 'testnet4':
    case 'signet':
      return TESTNETS;
  }
}

/** BIP 44 coin type: 0 on mainnet, 1 on every test network (SLIP-44). */
export function coinType(network: WalletNetwork): 0 | 1 {
  return network === 'bitcoin' ? 0 : 1;
}

/** The address of an output script on `network` (throws for scripts without an address form). */
export function scriptToAddress(script: Uint8Array, network: WalletNetwork): string {
  return Address(addressParams(network)).encode(OutScript.decode(script));
}

/**
 * The output script an address pays to, checked for `network`. Errors name the field (`address`) and, for an
 * address of another network, say which network it belongs to, so an operator sees the mistake at once.
 */
export function addressToScript(address: string, network: WalletNetwork, field = 'address'): Uint8Array {
  if (typeof address !== 'string' || address.length === 0 || address.length > 100 || address.trim() !== address) {
    throw new WalletInputError(field, `${field} must be a non-empty address string`);
  }
  try {
    return OutScript.encode(Address(addressParams(network)).decode(address));
  } catch {
    const other = WALLET_NETWORKS.find((n) => addressParams(n) !== addressParams(network) && decodes(address, n));
    if (other !== undefined) {
      throw new WalletInputError(field, `${field} is a ${other} address; this wallet runs on ${network}`);
    }
    throw new WalletInputError(field, `${field} is not a valid ${network} address`);
  }
}

function decodes(address: string, network: WalletNetwork): boolean {
  try {
    Address(addressParams(network)).decode(address);
    return true;
  } catch {
    return false;
  }
}

/** bcoin's regtest spelling (`rb1...`) of a Core regtest segwit address (`bcrt1...`), for driving bcoin. */
export function toBcoinRegtestAddress(address: string): string {
  const decoded = address.startsWith('bcrt1q') ? bech32.decode(address as `${string}1${string}`) : undefined;
  if (decoded === undefined || decoded.prefix !== 'bcrt') {
    throw new WalletInputError('address', 'expected a bcrt1q (regtest segwit v0) address');
  }
  return bech32.encode('rb', decoded.words);
}
