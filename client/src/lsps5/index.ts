/**
 * LSPS5 (bLIP-55) for wallets:
 * - `client.ts`: `Lsps5Client`: set, list and remove webhooks at an LSP
 * - `verify.ts`: `verifyLsps5Notification` for the wallet's push server (signature, time window, replays)
 */
export * from './client.js';
export * from './verify.js';
