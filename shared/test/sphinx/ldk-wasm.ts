/**
 * Loads the `lightningdevkit` 0.1.0 WASM once per process, and small LDK fixtures shared by the
 * cross-implementation tests.
 */
import * as ldk from 'lightningdevkit';
// The engine's once-per-process init: mocha loads every test file into one process, and a second
// initializeWasmFromBinary swaps the WASM instance under live objects (their finalizers then crash).
import { initLdk } from '@jitlsp/engine/node';

export { initLdk };

/** A KeysManager from a known seed, with its node id and node secret. */
export function ldkKeys(seedByte: number): { km: ldk.KeysManager; nodeId: Uint8Array; nodeSecret: Uint8Array } {
  const km = ldk.KeysManager.constructor_new(new Uint8Array(32).fill(seedByte), 1_700_000_000n, 0);
  const id = km.as_NodeSigner().get_node_id(ldk.Recipient.LDKRecipient_Node);
  if (!(id instanceof ldk.Result_PublicKeyNoneZ_OK)) throw new Error('ldk: get_node_id failed');
  return { km, nodeId: id.res, nodeSecret: km.get_node_secret_key() };
}

export const quietLogger = (): ldk.Logger =>
  ldk.Logger.new_impl({
    log(r) {
      if (process.env.LDK_LOG) console.log('LDK', r.get_args());
    },
  });

export { ldk };
