/**
 * {@link MailboxStore} on typeorm: onion messages held for offline clients (bLIP-52 §6). `put` is durable on
 * resolve and ignores a message already held (same id), so a replayed interception is held once.
 */
import { In } from 'typeorm';
import type { HeldOnionMessage, MailboxStore } from '../../lsps2/store.js';
import type { Database } from '../database.js';
import type { HeldOnionMessageRow } from '../entities/held-onion-message.entity.js';

const ENTITY = 'HeldOnionMessage';
/** Ids per DELETE statement (well under SQLite's bound-parameter limit). */
const DELETE_CHUNK = 500;

export class MailboxRepository implements MailboxStore {
  constructor(private readonly db: Database) {}

  async put(message: HeldOnionMessage): Promise<void> {
    const row: HeldOnionMessageRow = {
      id: message.id,
      peerNodeId: message.peerNodeId,
      seq: message.seq,
      message: Buffer.from(message.message),
      receivedAtMs: message.receivedAt.getTime(),
      expiresAtMs: message.expiresAt.getTime(),
    };
    await this.db.writeOne((m) => m.createQueryBuilder().insert().into(ENTITY).values(row).orIgnore().execute());
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.write(async (m) => {
      for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
        await m.delete(ENTITY, { id: In(ids.slice(i, i + DELETE_CHUNK)) });
      }
    });
  }

  async loadAll(): Promise<HeldOnionMessage[]> {
    const rows = await this.db.read((m) =>
      m.getRepository<HeldOnionMessageRow>(ENTITY).find({ order: { peerNodeId: 'ASC', seq: 'ASC' } }),
    );
    return rows.map((r) => ({
      id: r.id,
      peerNodeId: r.peerNodeId,
      seq: r.seq,
      message: new Uint8Array(r.message),
      receivedAt: new Date(r.receivedAtMs),
      expiresAt: new Date(r.expiresAtMs),
    }));
  }

  /** Number of messages held (metrics, admin). */
  async count(): Promise<number> {
    return this.db.read((m) => m.count(ENTITY));
  }
}
