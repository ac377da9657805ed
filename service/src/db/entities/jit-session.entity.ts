/**
 * `lsps2_sessions`: one row per JIT channel sold by `lsps2.buy` (bLIP-52), keyed by the `jit_channel_scid`
 * handed to the client. `terms` is what was sold (immutable JSON from `session-codec.ts` `encodeTerms`);
 * `state` is the HTLC-interception state machine's state (JSON, `encodeState`), including the HTLCs held
 * for the session, so one row write moves the session and its HTLCs together. `version` increments on every
 * state change (optimistic concurrency: a writer that read an older version is refused).
 * `state_kind`, `client_node_id` and `valid_until_ms` are copies of fields inside the JSON, kept as columns
 * for the indexed queries (working set on start, admin lookups by peer, expiry sweeps).
 */
import { EntitySchema } from 'typeorm';
import { int64AsNumber, NODE_ID_HEX_LENGTH, U64_DECIMAL_LENGTH } from '../columns.js';

export interface JitSessionRow {
  /** Decimal u64: the intercept SCID (`jit_channel_scid`). */
  jitChannelScid: string;
  /** Lower-case hex of the buyer's node id. */
  clientNodeId: string;
  /** `JitChannelState['kind']`. */
  stateKind: string;
  terms: string;
  state: string;
  /** `opening_fee_params.valid_until` in ms since the epoch. */
  validUntilMs: number;
  version: number;
  createdAtMs: number;
  updatedAtMs: number;
}

export const JIT_SESSION_TABLE = 'lsps2_sessions';

export const JitSessionEntity = new EntitySchema<JitSessionRow>({
  name: 'JitSession',
  tableName: JIT_SESSION_TABLE,
  columns: {
    jitChannelScid: { name: 'jit_channel_scid', type: 'varchar', length: U64_DECIMAL_LENGTH, primary: true },
    clientNodeId: { name: 'client_node_id', type: 'varchar', length: NODE_ID_HEX_LENGTH },
    stateKind: { name: 'state_kind', type: 'varchar', length: 32 },
    terms: { name: 'terms', type: 'text' },
    state: { name: 'state', type: 'text' },
    validUntilMs: { name: 'valid_until_ms', type: 'bigint', transformer: int64AsNumber },
    version: { name: 'version', type: 'integer' },
    createdAtMs: { name: 'created_at_ms', type: 'bigint', transformer: int64AsNumber },
    updatedAtMs: { name: 'updated_at_ms', type: 'bigint', transformer: int64AsNumber },
  },
  indices: [
    { name: 'idx_lsps2_sessions_client', columns: ['clientNodeId', 'createdAtMs'] },
    { name: 'idx_lsps2_sessions_state', columns: ['stateKind', 'updatedAtMs'] },
  ],
});
