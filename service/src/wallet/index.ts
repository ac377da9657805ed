/** The LSP's on-chain wallet (I/O shell over `@jitlsp/shared/wallet`): state, persistence and chain following. */
export { OnChainWallet, walletBlockOf, type OnChainWalletOptions, type Broadcast, type SendRequest } from './wallet.js';
export { WalletSync, CATCH_UP_BATCH, type WalletBlockSource } from './sync.js';
export { MemoryWalletStore, type WalletStore } from './store.js';
