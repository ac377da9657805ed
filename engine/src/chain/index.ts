/** The chain backends for the Lightning engine: the `ChainSource` interface and the in-process `SandboxChain`. */
export * from './types.js';
export * from './errors.js';
export { SandboxChain, type SandboxChainOptions } from './sandbox.js';
export { ChainFollower, type ChainListener, type ChainFollowerOptions, type SyncResult } from './follower.js';
export { txidOf } from './txid.js';
export { BitcoindRpcChain, type BitcoindRpcChainOptions, type BitcoindStatus } from './bitcoind/chain.js';
export { BitcoindRpcClient, type RpcClientOptions } from './bitcoind/rpc-client.js';
export { Broadcaster, type BroadcastResult, type JournalEntry } from './bitcoind/broadcaster.js';
export {
  FeeEstimator,
  CONFIRMATION_BLOCKS,
  FEE_RATE_FLOOR_SAT_PER_KW,
  type FeeRate,
} from './bitcoind/fee-estimator.js';
