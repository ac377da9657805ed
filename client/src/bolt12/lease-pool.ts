/**
 * Pure lease bookkeeping for the router: which lease an invoice gets, which leases are spent, which
 * are missing. No I/O: the router persists the returned list and runs the returned requests.
 *
 * Rules (bLIP-52 and the lease design in `lease.ts`):
 * - A lease is usable only while `valid_until` is more than `minRemainingMs` away: the LSP fails
 *   HTLCs to the SCID after `valid_until` (bLIP-52 MPP/no-MPP "valid_until has passed"), and the
 *   payer needs time to pay.
 * - An invoice reuses the lease already assigned to its invoice key (LDK's duplicate requests).
 * - An `mpp` lease bought for exactly the invoice amount wins (bLIP-52 fixed-amount mode).
 * - Otherwise an unassigned `no-mpp` lease whose tier accepts the amount (min <= amount <= max and
 *   opening fee < amount, bLIP-52 "payment_size_too_small") is assigned.
 */
import type { NodeIdHex } from '@jitlsp/engine/node';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import type { Lease, LeaseMode } from './lease.js';

export interface LeaseQuery {
  lspNodeId: NodeIdHex;
  amountMsat: bigint;
  invoiceKey: string;
  nowMs: number;
  minRemainingMs: number;
}

export type LeasePick =
  | { kind: 'reused'; lease: Lease; leases: Lease[] }
  | { kind: 'assigned'; lease: Lease; leases: Lease[] }
  | { kind: 'none'; reason: string; leases: Lease[] };

export const isUsable = (l: Lease, nowMs: number, minRemainingMs: number): boolean =>
  l.validUntilMs - minRemainingMs > nowMs;

/** Whether a lease's tier can carry a payment of `amountMsat` through a JIT channel. */
export function tierAccepts(l: Lease, amountMsat: bigint): boolean {
  if (amountMsat < l.terms.minPaymentSizeMsat || amountMsat > l.terms.maxPaymentSizeMsat) return false;
  const fee = computeOpeningFee(amountMsat, l.terms.minFeeMsat, l.terms.proportional);
  // bLIP-52: the LSP rejects a payment whose opening fee is not strictly below it.
  return fee !== null && fee < amountMsat;
}

/** Picks (and assigns) a lease for one invoice. Returns a new list; the input is not mutated. */
export function pickLease(leases: readonly Lease[], q: LeaseQuery): LeasePick {
  const usable = (l: Lease) => l.lspNodeId === q.lspNodeId && isUsable(l, q.nowMs, q.minRemainingMs);
  const reused = leases.find((l) => usable(l) && l.assignment?.invoiceKey === q.invoiceKey);
  if (reused) return { kind: 'reused', lease: reused, leases: [...leases] };

  const free = leases.filter((l) => usable(l) && l.assignment === undefined);
  const mpp = free.find((l) => l.mode === 'mpp' && l.paymentSizeMsat === q.amountMsat && tierAccepts(l, q.amountMsat));
  // Prefer the no-MPP lease that expires first: it is the one most likely to go unused otherwise.
  const noMpp = free
    .filter((l) => l.mode === 'no-mpp' && tierAccepts(l, q.amountMsat))
    .sort((a, b) => a.validUntilMs - b.validUntilMs)[0];
  const chosen = mpp ?? noMpp;
  if (!chosen) {
    const why =
      free.length === 0 ? 'no unassigned unexpired lease' : `no lease whose tier accepts ${q.amountMsat} msat`;
    return { kind: 'none', reason: why, leases: [...leases] };
  }
  const assigned: Lease = {
    ...chosen,
    assignment: { invoiceKey: q.invoiceKey, amountMsat: q.amountMsat, assignedAtMs: q.nowMs },
  };
  return { kind: 'assigned', lease: assigned, leases: leases.map((l) => (l === chosen ? assigned : l)) };
}

/** Splits leases into those still worth keeping and those past `valid_until` (dropped). */
export function pruneExpired(leases: readonly Lease[], nowMs: number): { kept: Lease[]; expired: Lease[] } {
  const kept: Lease[] = [];
  const expired: Lease[] = [];
  for (const l of leases) (l.validUntilMs > nowMs ? kept : expired).push(l);
  return { kept, expired };
}

/** How many more unassigned usable leases of `mode` the LSP's pool needs to reach `target`. */
export function poolDeficit(
  leases: readonly Lease[],
  lspNodeId: NodeIdHex,
  mode: LeaseMode,
  target: number,
  nowMs: number,
  minRemainingMs: number,
): number {
  const have = leases.filter(
    (l) =>
      l.lspNodeId === lspNodeId && l.mode === mode && l.assignment === undefined && isUsable(l, nowMs, minRemainingMs),
  ).length;
  return Math.max(0, target - have);
}
