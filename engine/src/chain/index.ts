/** The chain backends for the Lightning engine: the `ChainSource` interface and the in-process `SandboxChain`. */
export * from './types.js';
export * from './errors.js';
export { SandboxChain, type SandboxChainOptions } from './sandbox.js';
export { ChainFollower, type ChainListener, type ChainFollowerOptions, type SyncResult } from './follower.js';
export { txidOf } from './txid.js';
