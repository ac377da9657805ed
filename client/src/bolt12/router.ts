/**
 * `Lsps2Bolt12Router`: the wallet's LDK `Router`, wrapping an inner one (LDK's `DefaultRouter`).
 *
 * - `find_route` / `find_route_with_id` go to the inner router unchanged.
 * - `create_blinded_payment_paths` (called by LDK, synchronously, when it answers an
 *   `invoice_request` with a BOLT 12 invoice): if the payment context is an offer registered here,
 *   the answer is the inner router's paths (existing inbound liquidity, preferred: BOLT 12 lists
 *   paths by preference) followed by ONE path through the LSP's intercept SCID, bound to a lease
 *   (`lease.ts`). Anything else is delegated.
 *
 * The LDK callback cannot wait for an `lsps2.buy`, so leases are bought ahead of time: the router
 * keeps a pool of no-MPP leases per LSP (`LeasePolicy.poolSize`) and reports what it wants through
 * `onLeasesWanted`; `LeaseManager` buys them in the background. A fixed amount uses an MPP lease
 * only if one for exactly that amount is already held (bought with `LeaseManager.buyMppLease`, or in
 * the background after a first invoice for that amount); otherwise it falls back to a no-MPP lease,
 * whose JIT path then requires a single HTLC for the whole amount (`htlc_minimum_msat` = amount).
 */
import {
  type BlindedPaymentPath,
  type ChannelDetails,
  type EntropySource,
  type InFlightHtlcs,
  PaymentContext_Bolt12Offer,
  type ReceiveTlvs,
  Result_CVec_BlindedPaymentPathZNoneZ,
  Result_CVec_BlindedPaymentPathZNoneZ_OK,
  type Result_RouteLightningErrorZ,
  type RouteParameters,
  Router,
} from 'lightningdevkit';
import type { NodeIdHex, RouterHookContext } from '@jitlsp/engine/node';
import { fromHex, toHex } from '@jitlsp/shared/crypto';
import { buildJitPath } from './jit-path.js';
import { invoiceKey, type Lease, leaseId } from './lease.js';
import { pickLease, poolDeficit, pruneExpired } from './lease-pool.js';
import {
  DEFAULT_LEASE_POLICY,
  type LeasePolicy,
  type OfferKey,
  offerKeyReport,
  offerKeyString,
  type Registration,
} from './registration.js';
import type { RouterState, RouterStateStore } from './router-state-store.js';
import type { Logger } from '@jitlsp/shared/log';

/** What the router would like bought (it never buys itself: it runs inside LDK callbacks). */
export type LeaseWant =
  | { lspNodeId: NodeIdHex; mode: 'no-mpp'; count: number }
  | { lspNodeId: NodeIdHex; mode: 'mpp'; paymentSizeMsat: bigint };

export interface Lsps2Bolt12RouterOptions {
  store: RouterStateStore;
  clock?: () => Date;
  /** A lease is used only if its `valid_until` is at least this far away (default 120 s). */
  minLeaseRemainingSecs?: number;
  /** Called when leases should be bought. Runs inside LDK callbacks: only schedule work. */
  onLeasesWanted?: (want: LeaseWant) => void;
  logger?: Logger;
}

export interface PathsRequest {
  recipient: Uint8Array;
  tlvs: ReceiveTlvs;
  amountMsat: bigint;
  firstHops?: ChannelDetails[];
  /** The payer's signing key (hex) from the invoice_request: duplicate requests share a lease. */
  payerKeyHex?: string;
}

export type PathsOutcome =
  | { matched: false }
  | {
      matched: true;
      paths: BlindedPaymentPath[];
      innerPathCount: number;
      /** The lease behind the JIT path (absent when no JIT path was added). */
      lease?: Lease;
      /** Why no JIT path was added. */
      skipped?: string;
    };

export class Lsps2Bolt12Router {
  private state: RouterState;
  private readonly clock: () => Date;
  private readonly minRemainingMs: number;
  private inner: Router | undefined;
  private entropy: EntropySource | undefined;
  private ldkRouter: Router | undefined;

  constructor(private readonly opts: Lsps2Bolt12RouterOptions) {
    this.state = opts.store.load();
    this.clock = opts.clock ?? (() => new Date());
    this.minRemainingMs = (opts.minLeaseRemainingSecs ?? 120) * 1000;
  }

  // ---- registry ---------------------------------------------------------------------------------

  /** Registers (or replaces) an offer key. Persisted. */
  register(
    key: OfferKey,
    lsp: { nodeId: NodeIdHex; cltvExpiryDelta: number },
    policy: Partial<LeasePolicy> = {},
  ): Registration {
    const reg: Registration = {
      key: normalizeKey(key),
      lsp: { nodeId: lsp.nodeId.toLowerCase(), cltvExpiryDelta: lsp.cltvExpiryDelta },
      policy: { ...DEFAULT_LEASE_POLICY, ...policy },
      createdAtMs: this.clock().getTime(),
    };
    const k = offerKeyString(reg.key);
    this.commit({
      ...this.state,
      registrations: [...this.state.registrations.filter((r) => offerKeyString(r.key) !== k), reg],
    });
    this.opts.logger?.log('info', 'lsps2 router: offer registered', {
      ...offerKeyReport(reg.key),
      lsp: reg.lsp.nodeId,
      mode: reg.policy.mode,
    });
    this.wantPool(reg.lsp.nodeId);
    return reg;
  }

  unregister(key: OfferKey): boolean {
    const k = offerKeyString(key);
    const regs = this.state.registrations.filter((r) => offerKeyString(r.key) !== k);
    if (regs.length === this.state.registrations.length) return false;
    this.commit({ ...this.state, registrations: regs });
    return true;
  }

  registration(key: OfferKey): Registration | undefined {
    const k = offerKeyString(key);
    return this.state.registrations.find((r) => offerKeyString(r.key) === k);
  }

  registrations(): readonly Registration[] {
    return this.state.registrations;
  }

  /** LSPs named by any registration (the message router routes through them). */
  lspNodeIds(): NodeIdHex[] {
    return [...new Set(this.state.registrations.map((r) => r.lsp.nodeId))];
  }

  // ---- leases -----------------------------------------------------------------------------------

  leases(): readonly Lease[] {
    return this.state.leases;
  }

  /** Adds a bought lease (persisted) and records the LSP's latest cltv delta on its registrations. */
  addLease(lease: Lease): void {
    const id = leaseId(lease);
    if (this.state.leases.some((l) => leaseId(l) === id)) return;
    const regs = this.state.registrations.map((r) =>
      r.lsp.nodeId === lease.lspNodeId ? { ...r, lsp: { ...r.lsp, cltvExpiryDelta: lease.lspCltvExpiryDelta } } : r,
    );
    this.commit({ registrations: regs, leases: [...this.state.leases, lease] });
  }

  /** Drops leases past `valid_until` (persisted) and asks for replacements. Returns the dropped ones. */
  pruneExpiredLeases(): Lease[] {
    const { kept, expired } = pruneExpired(this.state.leases, this.clock().getTime());
    if (expired.length > 0) {
      this.commit({ ...this.state, leases: kept });
      this.opts.logger?.log('info', 'lsps2 leases expired', { count: expired.length });
    }
    for (const lsp of this.lspNodeIds()) this.wantPool(lsp);
    return expired;
  }

  /** What each registered LSP's pool lacks right now. */
  wantedLeases(): LeaseWant[] {
    const now = this.clock().getTime();
    const out: LeaseWant[] = [];
    for (const lsp of this.lspNodeIds()) {
      const count = poolDeficit(this.state.leases, lsp, 'no-mpp', this.poolTarget(lsp), now, this.minRemainingMs);
      if (count > 0) out.push({ lspNodeId: lsp, mode: 'no-mpp', count });
    }
    return out;
  }

  // ---- LDK wiring -------------------------------------------------------------------------------

  /** For `NodeOptions.routerHook`: wraps the node's `DefaultRouter`. */
  install(ctx: RouterHookContext): Router {
    return this.attach(ctx.defaultRouter, ctx.entropySource);
  }

  /**
   * Wraps `inner`; returns the LDK `Router` to hand to the ChannelManager. Keep a reference
   * (docs/ldk-pitfalls.md, "Lifetimes").
   */
  attach(inner: Router, entropySource: EntropySource): Router {
    this.inner = inner;
    this.entropy = entropySource;
    this.ldkRouter = Router.new_impl({
      find_route: (
        payer: Uint8Array,
        params: RouteParameters,
        firstHops: ChannelDetails[],
        inflight: InFlightHtlcs,
      ): Result_RouteLightningErrorZ => inner.find_route(payer, params, firstHops, inflight),
      find_route_with_id: (
        payer: Uint8Array,
        params: RouteParameters,
        firstHops: ChannelDetails[],
        inflight: InFlightHtlcs,
        paymentHash: Uint8Array,
        paymentId: Uint8Array,
      ): Result_RouteLightningErrorZ =>
        inner.find_route_with_id(payer, params, firstHops, inflight, paymentHash, paymentId),
      create_blinded_payment_paths: (recipient, firstHops, tlvs, amountMsats) =>
        this.onCreateBlindedPaymentPaths(recipient, firstHops, tlvs, amountMsats),
    });
    return this.ldkRouter;
  }

  private onCreateBlindedPaymentPaths(
    recipient: Uint8Array,
    firstHops: ChannelDetails[],
    tlvs: ReceiveTlvs,
    amountMsats: bigint,
  ): Result_CVec_BlindedPaymentPathZNoneZ {
    try {
      const ctx = tlvs.tlvs().get_payment_context();
      if (ctx instanceof PaymentContext_Bolt12Offer) {
        const offerId = toHex(ctx.bolt12_offer.get_offer_id().get_a());
        const payerKeyHex = toHex(ctx.bolt12_offer.get_invoice_request().get_payer_signing_pubkey());
        const out = this.pathsFor({ offerId }, { recipient, tlvs, amountMsat: amountMsats, firstHops, payerKeyHex });
        if (out.matched) {
          // Clones: the vector handed to LDK must not share paths with JS objects that finalizers will free.
          return out.paths.length > 0
            ? Result_CVec_BlindedPaymentPathZNoneZ.constructor_ok(out.paths.map((p) => p.clone()))
            : Result_CVec_BlindedPaymentPathZNoneZ.constructor_err();
        }
      }
    } catch (e) {
      // Never throw into WASM: log, then fall back to the inner router's answer.
      this.opts.logger?.log('error', 'lsps2 router failed; delegating', { error: (e as Error).message });
    }
    return this.requireInner().create_blinded_payment_paths(recipient, firstHops, tlvs, amountMsats);
  }

  /**
   * The paths for an invoice of a registered offer key, or `{ matched: false }` (delegate). Called by
   * the LDK callback with `{ offerId }`; the async-offer work calls it with `{ offerNonce }`.
   * @example router.pathsFor({ offerNonce: 'ab..' }, { recipient, tlvs, amountMsat: 50_000_000n })
   */
  pathsFor(key: OfferKey, req: PathsRequest): PathsOutcome {
    const reg = this.registration(key);
    if (!reg) return { matched: false };
    const inner = this.innerPaths(req);
    const skip = (skipped: string): PathsOutcome => {
      this.opts.logger?.log('info', 'lsps2 router: no JIT path', {
        ...offerKeyReport(reg.key),
        skipped,
        amountMsat: String(req.amountMsat),
      });
      return { matched: true, paths: inner, innerPathCount: inner.length, skipped };
    };

    if (reg.policy.skipWhenInboundCovers && inboundCovers(req.firstHops ?? [], req.amountMsat)) {
      return skip('usable inbound capacity covers the amount');
    }

    const now = this.clock().getTime();
    // Expired leases are useless to the LSP (bLIP-52: it fails HTLCs after valid_until): drop them first.
    const { kept, expired } = pruneExpired(this.state.leases, now);
    const payerKey = req.payerKeyHex ?? toHex(req.tlvs.tlvs().get_payment_secret());
    const pick = pickLease(kept, {
      lspNodeId: reg.lsp.nodeId,
      amountMsat: req.amountMsat,
      invoiceKey: invoiceKey(offerKeyString(reg.key), payerKey, req.amountMsat),
      nowMs: now,
      minRemainingMs: this.minRemainingMs,
    });
    if (expired.length > 0 || pick.kind === 'assigned') this.commit({ ...this.state, leases: pick.leases });

    if (reg.policy.mode === 'mpp-when-available' && (pick.kind === 'none' || pick.lease.mode === 'no-mpp')) {
      // Next invoice for this amount can be MPP (bLIP-52 fixed-amount mode) once the buy completes.
      this.opts.onLeasesWanted?.({ lspNodeId: reg.lsp.nodeId, mode: 'mpp', paymentSizeMsat: req.amountMsat });
    }
    this.wantPool(reg.lsp.nodeId);
    if (pick.kind === 'none') return skip(pick.reason);

    const lease = pick.lease;
    const jit = buildJitPath({
      lspNodeId: fromHex(lease.lspNodeId, 'lease.lspNodeId', 33),
      interceptScid: lease.interceptScid,
      lspCltvExpiryDelta: lease.lspCltvExpiryDelta,
      recipient: req.recipient,
      tlvs: req.tlvs,
      htlcMinimumMsat: lease.mode === 'mpp' ? 1n : req.amountMsat,
      entropySource: this.requireEntropy(),
    });
    this.opts.logger?.log('info', 'lsps2 router: JIT path added', {
      ...offerKeyReport(reg.key),
      scid: String(lease.interceptScid),
      mode: lease.mode,
      reused: pick.kind === 'reused',
      amountMsat: String(req.amountMsat),
    });
    return { matched: true, paths: [...inner, jit], innerPathCount: inner.length, lease };
  }

  // ---- internals --------------------------------------------------------------------------------

  private innerPaths(req: PathsRequest): BlindedPaymentPath[] {
    const res = this.requireInner().create_blinded_payment_paths(
      req.recipient,
      req.firstHops ?? [],
      req.tlvs,
      req.amountMsat,
    );
    // The inner router fails when we have no channel and are not in the graph: the JIT path still works.
    return res instanceof Result_CVec_BlindedPaymentPathZNoneZ_OK ? res.res : [];
  }

  private poolTarget(lsp: NodeIdHex): number {
    return Math.max(0, ...this.state.registrations.filter((r) => r.lsp.nodeId === lsp).map((r) => r.policy.poolSize));
  }

  private wantPool(lsp: NodeIdHex): void {
    if (!this.opts.onLeasesWanted) return;
    const count = poolDeficit(
      this.state.leases,
      lsp,
      'no-mpp',
      this.poolTarget(lsp),
      this.clock().getTime(),
      this.minRemainingMs,
    );
    if (count > 0) this.opts.onLeasesWanted({ lspNodeId: lsp, mode: 'no-mpp', count });
  }

  private commit(next: RouterState): void {
    this.opts.store.save(next);
    this.state = next;
  }

  private requireInner(): Router {
    if (!this.inner) throw new Error('Lsps2Bolt12Router: not attached to an inner router (call install/attach first)');
    return this.inner;
  }

  private requireEntropy(): EntropySource {
    if (!this.entropy) throw new Error('Lsps2Bolt12Router: not attached (no entropy source)');
    return this.entropy;
  }
}

function inboundCovers(firstHops: ChannelDetails[], amountMsat: bigint): boolean {
  let total = 0n;
  for (const ch of firstHops) if (ch.get_is_usable()) total += ch.get_inbound_capacity_msat();
  return firstHops.length > 0 && total >= amountMsat;
}

function normalizeKey(key: OfferKey): OfferKey {
  const check = (v: string, f: string) => {
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(v))
      throw new TypeError(`register/${f}: expected hex, got ${JSON.stringify(v.slice(0, 40))}`);
    return v.toLowerCase();
  };
  return 'offerId' in key
    ? { offerId: check(key.offerId, 'offerId') }
    : { offerNonce: check(key.offerNonce, 'offerNonce') };
}
