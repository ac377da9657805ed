/**
 * LSPS5 on the LSP (bLIP-55): webhook registration over LSPS0 and wake-up notifications over HTTPS.
 *
 * - `policy.ts`: limits (webhooks per client, cooldown, retention)
 * - `webhook-book.ts`: set/remove/retention decisions (pure)
 * - `notification-gate.ts`: which notifications go to which webhooks, and the cooldown per method (pure)
 * - `destination.ts`: which addresses a webhook may reach (pure)
 * - `delivery.ts`: HTTPS delivery: queue, concurrency, retries, DNS check and pinning, signing (I/O)
 * - `service.ts`: the LSPS0 methods and the `ClientWakeUp` the JIT shell calls (shell)
 * - `store.ts`: the persistence contract (implemented in `db/repositories/webhook.repository.ts`)
 * - `wake-up.ts`: the `ClientWakeUp` interface and the `expiry_soon` window
 * - `start.ts`: LSPS5 as the daemon runs it (from the configuration)
 */
export * from './policy.js';
export * from './webhook-book.js';
export * from './notification-gate.js';
export * from './destination.js';
export * from './delivery.js';
export * from './service.js';
export * from './store.js';
export * from './wake-up.js';
export * from './start.js';
