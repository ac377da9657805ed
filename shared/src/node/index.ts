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
export { LightningNode } from './node.js';
