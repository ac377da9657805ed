/**
 * `onion_mailbox`: one row per onion message held for an offline client with a JIT session (bLIP-52 §6),
 * until it is delivered when the peer connects, expires (`expires_at_ms`) or is evicted by the bounds.
 * `id` (SHA-256 of peer id and message) is the primary key, so a message intercepted twice is held once;
 * `seq` orders delivery within a peer.
 */
import { EntitySchema } from 'typeorm';
import { type Dialect, bytesType, int64AsNumber, HASH_HEX_LENGTH, NODE_ID_HEX_LENGTH } from '../columns.js';

export interface HeldOnionMessageRow {
  id: string;
  peerNodeId: string;
  seq: number;
  message: Buffer;
  receivedAtMs: number;
  expiresAtMs: number;
}

export const HELD_ONION_MESSAGE_TABLE = 'onion_mailbox';

/** The entity for `dialect` (only the bytes column type differs). */
export function heldOnionMessageEntity(dialect: Dialect): EntitySchema<HeldOnionMessageRow> {
  return new EntitySchema<HeldOnionMessageRow>({
    name: 'HeldOnionMessage',
    tableName: HELD_ONION_MESSAGE_TABLE,
    columns: {
      id: { name: 'id', type: 'varchar', length: HASH_HEX_LENGTH, primary: true },
      peerNodeId: { name: 'peer_node_id', type: 'varchar', length: NODE_ID_HEX_LENGTH },
      seq: { name: 'seq', type: 'bigint', transformer: int64AsNumber },
      message: { name: 'message', type: bytesType(dialect) },
      receivedAtMs: { name: 'received_at_ms', type: 'bigint', transformer: int64AsNumber },
      expiresAtMs: { name: 'expires_at_ms', type: 'bigint', transformer: int64AsNumber },
    },
    indices: [
      { name: 'idx_onion_mailbox_peer_seq', columns: ['peerNodeId', 'seq'] },
      { name: 'idx_onion_mailbox_expiry', columns: ['expiresAtMs'] },
    ],
  });
}
