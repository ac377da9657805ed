/**
 * @jitlsp/client: what a wallet embeds to receive through an LSPS2 LSP with BOLT 12.
 * - `lsps2/`: the LSPS2 client over LSPS0 custom messages (bLIP-50/52)
 * - `lsps5/`: webhook registration (bLIP-55) and the push server's notification check
 * - `bolt12/`: the router wrapper that puts JIT paths into invoices, leases, the message router
 * - `offers/`: BOLT 12 offers built and answered in TypeScript, payer requests, shares and group offers
 * - `wallet.ts`: `JitWallet` and the one-call `receiveViaLsp`
 */
export * from './lsps2/index.js';
export * from './bolt12/index.js';
export * from './lsps5/index.js';
export * from './offers/index.js';
export {
  JitWallet,
  receiveViaLsp,
  type CreateGroupOfferOptions,
  type CreateOfferResult,
  type JitWalletOptions,
  type ReceiveViaLspOptions,
  type ReceiveViaLspResult,
} from './wallet.js';
