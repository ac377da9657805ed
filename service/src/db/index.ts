/**
 * Persistence on typeorm: SQLite by default, Postgres with `DATABASE_URL=postgres://...`; hand-written
 * migrations; repositories implementing the LSPS2 store contracts (`service/src/lsps2/store.ts`).
 */
export { Database, DatabaseClosedError, isUniqueViolation } from './database.js';
export { createDataSource, MIGRATIONS_TABLE, SQLITE_BUSY_TIMEOUT_MS, type DataSourceExtras } from './data-source.js';
export { SessionRepository } from './repositories/session.repository.js';
export { MailboxRepository } from './repositories/mailbox.repository.js';
export { WalletRepository } from './repositories/wallet.repository.js';
export { WebhookRepository } from './repositories/webhook.repository.js';
export type { Dialect } from './columns.js';
