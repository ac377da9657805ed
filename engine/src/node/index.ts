/**
 * The Lightning engine: a real LDK node (`lightningdevkit` 0.1.0) over TCP with file persistence.
 *
 * @example
 * const chain = await SandboxChain.create();
 * const lsp = await LightningNode.start({ dataDir: '/var/lib/jitlsp/node', chain, listen: { port: 9735 },
 *   acceptInterceptHtlcs: true, interceptOfflinePeerOnionMessages: true });
 * lsp.on('htlcIntercepted', (ev) => { ... });
 */
export * from './types.js';
export type * from './api.js';
export { LightningNode } from './node.js';
export {
  decryptPaymentSecret,
  inboundPaymentKeys,
  ldkPaymentPreimage,
  PaymentSecretMethod,
  spontaneousPaymentSecret,
} from './inbound-keys.js';
export { OFFERS_MESSAGE_TYPE } from './onion-hooks.js';
/** Load the LDK WASM once per process (anything else using `lightningdevkit` must await this instead of initialising it again). */
export { initLdk, wasmMemoryBytes } from './wasm.js';
