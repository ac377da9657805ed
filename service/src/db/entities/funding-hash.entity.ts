/**
 * `lsps2_funding_hashes`: one row per payment hash that funds (or is funding) a JIT channel. The primary
 * key makes "one payment hash never funds two channels" (a second could never collect its opening fee) a
 * database guarantee: a second session reserving the same hash finds the row and is refused, even across
 * restarts and replays.
 */
import { EntitySchema } from 'typeorm';
import { int64AsNumber, HASH_HEX_LENGTH, U64_DECIMAL_LENGTH } from '../columns.js';

export interface FundingHashRow {
  /** Lower-case hex of the payment hash. */
  paymentHash: string;
  /** Decimal u64: the session's `jit_channel_scid`. */
  jitChannelScid: string;
  createdAtMs: number;
}

export const FUNDING_HASH_TABLE = 'lsps2_funding_hashes';

export const FundingHashEntity = new EntitySchema<FundingHashRow>({
  name: 'FundingHash',
  tableName: FUNDING_HASH_TABLE,
  columns: {
    paymentHash: { name: 'payment_hash', type: 'varchar', length: HASH_HEX_LENGTH, primary: true },
    jitChannelScid: { name: 'jit_channel_scid', type: 'varchar', length: U64_DECIMAL_LENGTH },
    createdAtMs: { name: 'created_at_ms', type: 'bigint', transformer: int64AsNumber },
  },
  indices: [{ name: 'idx_lsps2_funding_hashes_scid', columns: ['jitChannelScid'] }],
});
