/** The chain backends for the Lightning engine: the `ChainSource` interface and the in-process `SandboxChain`. */
export * from './types.js';
export { SandboxChain, type SandboxChainOptions } from './sandbox.js';
export { txidOf } from './txid.js';
