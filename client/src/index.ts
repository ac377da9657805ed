/**
 * @jitlsp/client: what a wallet embeds to receive through an LSPS2 LSP with BOLT 12.
 * - `lsps2/`: the LSPS2 client over LSPS0 custom messages (bLIP-50/52)
 * - `lsps5/`: webhook registration (bLIP-55) and the push server's notification check
 * - `bolt12/`: the router wrapper that puts JIT paths into invoices, leases, the message router
 * - `wallet.ts`: `JitWallet` and the one-call `receiveViaLsp`
 */
export * from './lsps2/index.js';
export * from './bolt12/index.js';
export * from './lsps5/index.js';
export {
  JitWallet,
  receiveViaLsp,
  type JitWalletOptions,
  type ReceiveViaLspOptions,
  type ReceiveViaLspResult,
} from './wallet.js';
