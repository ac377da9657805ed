/** BOLT 12 receive through an LSPS2 LSP: the router wrapper, leases, and the message router. */
export {
  Lsps2Bolt12Router,
  type LeaseWant,
  type Lsps2Bolt12RouterOptions,
  type PathsOutcome,
  type PathsRequest,
} from './router.js';
export { Lsps2MessageRouter, type Lsps2MessageRouterOptions } from './message-router.js';
export { LeaseManager, leaseFromPurchase, type LeaseManagerOptions } from './lease-manager.js';
export { type Lease, type LeaseMode, leaseId, invoiceKey } from './lease.js';
export { pickLease, pruneExpired, poolDeficit, tierAccepts } from './lease-pool.js';
export {
  DEFAULT_LEASE_POLICY,
  type LeasePolicy,
  type OfferKey,
  type Registration,
  offerKeyReport,
  offerKeyString,
} from './registration.js';
export {
  JsonFileRouterStateStore,
  MemoryRouterStateStore,
  RouterStateError,
  type RouterState,
  type RouterStateStore,
} from './router-state-store.js';
export { buildJitPath, JitPathError, JIT_MIN_FINAL_CLTV_EXPIRY_DELTA } from './jit-path.js';
