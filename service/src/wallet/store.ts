/**
 * Persistence contract of the on-chain wallet: the whole `WalletState` loads back equal, and each event's
 * changes (`walletChanges`) are written in one transaction, durable on resolve. `service/src/db` implements it
 * on typeorm (SQLite / Postgres); `MemoryWalletStore` serves unit tests of the shell.
 */
import type { WalletChanges, WalletState } from '@jitlsp/shared/wallet';

export interface WalletStore {
  /** The stored wallet, or undefined before the first start. */
  load(): Promise<WalletState | undefined>;
  /** Stores a new wallet (the first start). Rejects if one exists. */
  create(state: WalletState): Promise<void>;
  /** Writes `changes` (from the stored state to `after`) in one transaction. */
  apply(after: WalletState, changes: WalletChanges): Promise<void>;
}

/** Keeps the state in memory (unit tests of the shell; nothing survives the process). */
export class MemoryWalletStore implements WalletStore {
  private state: WalletState | undefined;

  async load(): Promise<WalletState | undefined> {
    return this.state;
  }

  async create(state: WalletState): Promise<void> {
    if (this.state !== undefined) throw new Error('wallet store: a wallet exists');
    this.state = state;
  }

  async apply(after: WalletState): Promise<void> {
    this.state = after;
  }
}
