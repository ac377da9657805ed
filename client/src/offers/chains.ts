/**
 * BOLT 12 `chain_hash` of each network the engine runs on: the genesis block hash in the byte order
 * BOLT 12 uses (offers-test.json gives bitcoin's as `6fe28c0a...`, i.e. reversed from the usual
 * display). An offer or invoice_request for bitcoin omits its chain; any other network names it.
 */
import { BITCOIN_CHAIN_HASH } from '@jitlsp/shared/bolt12';
import { equalBytes, fromHex } from '@jitlsp/shared/crypto';

export type Network = 'bitcoin' | 'testnet' | 'testnet4' | 'signet' | 'regtest';

const GENESIS: Record<Network, Uint8Array> = {
  bitcoin: BITCOIN_CHAIN_HASH,
  testnet: fromHex('43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000', 'testnet chain hash', 32),
  // BIP 94 testnet4 genesis 00000000da84f2ba...8bf043, reversed.
  testnet4: fromHex('43f08bdab050e35b567c864b91f47f50ae725ae2de53bcfbbaf284da00000000', 'testnet4 chain hash', 32),
  signet: fromHex('f61eee3b63a380a477a063af32b2bbc97c9ff9f01f2c4225e973988108000000', 'signet chain hash', 32),
  regtest: fromHex('06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f', 'regtest chain hash', 32),
};

export function chainHash(network: Network): Uint8Array {
  const h = GENESIS[network];
  if (!h)
    throw new TypeError(`network: expected bitcoin, testnet, testnet4, signet or regtest, got ${String(network)}`);
  return h;
}

export const isBitcoin = (chain: Uint8Array): boolean => equalBytes(chain, BITCOIN_CHAIN_HASH);
