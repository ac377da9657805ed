/**
 * Column helpers shared by the entities, keeping the SQLite/Postgres differences in one place.
 *
 * - Instants are stored as integer milliseconds since the Unix epoch in `bigint` columns (`*_ms`): both
 *   databases compare them natively (expiry sweeps), and there is no time-zone or text-format ambiguity.
 *   node-postgres returns int8 as a string, SQLite as a number: the transformer makes both a number.
 * - u64 values (SCIDs, msat amounts) do not fit Postgres' signed bigint, so they are decimal strings
 *   (`varchar(20)`) converted to `bigint` by the repositories.
 * - Raw bytes are `blob` on SQLite and `bytea` on Postgres (both read back as a Buffer).
 */
import type { ValueTransformer } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

/** int8 -> JS number (safe for epoch milliseconds and sequence numbers, < 2^53). */
export const int64AsNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? v : Number(v)),
};

/** Column type for raw bytes in `dialect`. */
export function bytesType(dialect: Dialect): 'blob' | 'bytea' {
  return dialect === 'postgres' ? 'bytea' : 'blob';
}

/** Width of a decimal u64 (18446744073709551615). */
export const U64_DECIMAL_LENGTH = 20;
/** Width of a hex 33-byte node id. */
export const NODE_ID_HEX_LENGTH = 66;
/** Width of a hex 32-byte hash. */
export const HASH_HEX_LENGTH = 64;
