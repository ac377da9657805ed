/** One valid webhook and LSPS5 policy, with overrides (the tables below vary one field at a time). */
import { getPublicKey } from '@jitlsp/shared/crypto';
import type { Webhook } from '../../src/lsps5/webhook-book.js';
import { DEFAULT_LSPS5_POLICY, type Lsps5Policy } from '../../src/lsps5/policy.js';

export const T0 = new Date('2026-06-01T00:00:00.000Z');
export const at = (ms: number): Date => new Date(T0.getTime() + ms);
export const DAY_MS = 24 * 3600_000;

export function nodeId(seed: number): string {
  return Buffer.from(getPublicKey(new Uint8Array(32).fill(seed))).toString('hex');
}
export const CLIENT_A = nodeId(0x31);
export const CLIENT_B = nodeId(0x32);

export function makeWebhook(over: Partial<Webhook> = {}): Webhook {
  return {
    clientNodeId: CLIENT_A,
    appName: 'My Wallet',
    url: 'https://push.example.org/lsps5?token=abc',
    createdAt: T0,
    updatedAt: T0,
    retainedFrom: T0,
    ...over,
  };
}

export function makePolicy(over: Partial<Lsps5Policy> = {}): Lsps5Policy {
  return { ...DEFAULT_LSPS5_POLICY, ...over };
}
