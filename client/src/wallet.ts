/**
 * `JitWallet`: an LDK node set up to receive through an LSPS2 LSP with BOLT 12, and the one-call
 * `receiveViaLsp`. This is what a wallet developer embeds.
 *
 * Set-up: inbound channels are accepted manually, zero-conf from the
 * configured LSPs; HTLCs that pay less than the onion says are accepted (the LSP skims its opening
 * fee, bLIP-52), and `paymentClaimable` is claimed only after checking the skim against the lease's
 * opening fee (bLIP-52: the client MUST check the deducted fee is no more than the opening fee);
 * the node's `Router` is {@link Lsps2Bolt12Router} and its `MessageRouter` is
 * {@link Lsps2MessageRouter}; router state lives in `<dataDir>/lsps2-router.json`.
 *
 * **Offers.** `createOffer` builds the offer in TypeScript (`offers/`) with an amount, a description, an
 * issuer, an expiry and a quantity, keyed from the wallet's seed, and the wallet answers its
 * invoice_requests itself. `receiveViaLsp` still returns an LDK-built offer, which in the
 * `lightningdevkit` 0.1 bindings is amountless and has no description (the builder's setters act on a
 * copy; docs/ldk-pitfalls.md, "Offer builder setters"): `description` is then returned for display, not encoded.
 * `payOffer` pays any offer through TypeScript; `payOfferShare` pays a share of a group offer.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ChainSource } from '@jitlsp/engine/chain';
import { computeOpeningFee, type ClientFeeLimits, type OpeningFeeParams } from '@jitlsp/shared/lsps2';
import {
  LightningNode,
  type NodeEventOf,
  type RouterHookContext,
  type NodeIdHex,
  type NodeOptions,
  type PeerAddress,
} from '@jitlsp/engine/node';
import { Lsps2Client } from './lsps2/client.js';
import { Lsps5Client } from './lsps5/client.js';
import type { ListWebhooksResult, SetWebhookResult } from '@jitlsp/shared/lsps5';
import { Lsps2ClientError } from './lsps2/errors.js';
import { nodeTransport, type Lsps0Transport } from './lsps2/transport.js';
import type { Lease } from './bolt12/lease.js';
import { LeaseManager, leaseFromPurchase } from './bolt12/lease-manager.js';
import { Lsps2MessageRouter } from './bolt12/message-router.js';
import type { LeasePolicy } from './bolt12/registration.js';
import { Lsps2Bolt12Router } from './bolt12/router.js';
import { JsonFileRouterStateStore } from './bolt12/router-state-store.js';
import type { Logger } from '@jitlsp/shared/log';
import { chainHash } from './offers/chains.js';
import { offersRootFromSeed } from './offers/keys.js';
import { OfferBook } from './offers/offer-book.js';
import { OffersShell, type CreateOfferOptions, type InvoiceReply, type PaidInvoice } from './offers/shell.js';

export interface JitWalletOptions {
  dataDir: string;
  chain: ChainSource;
  /** The LSPs this wallet may buy JIT channels from (`nodeId@host:port`): trusted for zero-conf. */
  lsps: (PeerAddress | string)[];
  /** The wallet's own fee limits when choosing a tier. */
  feeLimits?: ClientFeeLimits;
  /** `lsps2.get_info` token (e.g. an API key). */
  token?: string;
  clock?: () => Date;
  random?: (n: number) => Uint8Array;
  logger?: Logger;
  name?: string;
  /**
   * Claim recognised payments automatically after checking the LSP's fee skim, and fail the others back
   * (default true).
   */
  autoClaim?: boolean;
  /** How often expired leases are dropped and pools refilled (default 60 s; 0 = never). */
  maintenanceIntervalMs?: number;
  /** LSPS request deadline (default 30 s). */
  requestTimeoutMs?: number;
  /** Extra engine options (listen address, log level...). */
  node?: Partial<NodeOptions>;
}

export interface ReceiveViaLspOptions {
  /** The LSP, as `nodeId@host:port` or a node id already configured in `JitWalletOptions.lsps`. */
  lsp: PeerAddress | string;
  /** Shown by the wallet next to the offer; NOT encoded in it (LDK 0.1 bindings, see above). */
  description?: string;
  token?: string;
  policy?: Partial<LeasePolicy>;
}

export interface ReceiveViaLspResult {
  /** The BOLT 12 offer (`lno1...`), amountless, ready to show as a QR code. */
  offer: string;
  offerId: string;
  lspNodeId: NodeIdHex;
  description?: string;
  /** The tier the first lease was bought under: what a first payment costs. */
  feeParams: { minFeeMsat: bigint; proportional: number; minPaymentSizeMsat: bigint; maxPaymentSizeMsat: bigint };
  /** The first lease (more are bought in the background). */
  lease: Lease;
}

export interface CreateOfferResult {
  /** The offer (`lno1...`), with its amount and description, ready to show as a QR code. */
  offer: string;
  offerId: string;
  lspNodeId: NodeIdHex;
}

export interface CreateGroupOfferOptions {
  totalMsat: bigint;
  description: string;
  issuer?: string;
  /** How long payers may join (the offer and every invoice expire with it). */
  windowSecs: number;
  /** Most payers the group takes (default 64). */
  maxPayers?: number;
  lsp: PeerAddress | string;
}

export class JitWallet {
  readonly router: Lsps2Bolt12Router;
  readonly messageRouter: Lsps2MessageRouter;
  readonly leases: LeaseManager;
  private readonly clients = new Map<NodeIdHex, Lsps2Client>();
  private readonly lspAddrs = new Map<NodeIdHex, PeerAddress | undefined>();
  private transport!: Lsps0Transport;
  private maintenance: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  node!: LightningNode;
  /** The TS offers flows (`offers/shell.ts`): requests, answers, payments. */
  offers!: OffersShell;
  private hookCtx: RouterHookContext | undefined;

  private constructor(private readonly opts: JitWalletOptions) {
    for (const l of opts.lsps) {
      const a = parseLsp(l);
      this.lspAddrs.set(a.nodeId, a.host ? a : undefined);
    }
    this.router = new Lsps2Bolt12Router({
      store: new JsonFileRouterStateStore(join(opts.dataDir, 'lsps2-router.json')),
      clock: opts.clock,
      logger: opts.logger,
      onLeasesWanted: (w) => this.leases.want(w),
    });
    this.messageRouter = new Lsps2MessageRouter({
      lspNodeIds: () => [...new Set([...this.lspAddrs.keys(), ...this.router.lspNodeIds()])],
      logger: opts.logger,
    });
    this.leases = new LeaseManager({
      router: this.router,
      clientFor: (lsp) => this.client(lsp),
      isConnected: (lsp) => this.transport?.isConnected(lsp) ?? false,
      clock: opts.clock,
      tokenFor: () => opts.token,
      logger: opts.logger,
    });
  }

  /** Starts the node with the LSPS2 routers installed and connects to the configured LSPs. */
  static async start(opts: JitWalletOptions): Promise<JitWallet> {
    const w = new JitWallet(opts);
    const lsps = [...w.lspAddrs.keys()];
    w.node = await LightningNode.start({
      dataDir: opts.dataDir,
      chain: opts.chain,
      name: opts.name ?? 'wallet',
      logger: opts.logger,
      clock: opts.clock,
      random: opts.random,
      ...opts.node,
      inboundChannels: { manualAccept: true, trustedZeroConfPeers: lsps },
      acceptUnderpayingHtlcsFrom: lsps,
      routerHook: (ctx) => {
        w.hookCtx = ctx;
        return w.router.install(ctx);
      },
      messageRouterHook: (ctx) => w.messageRouter.install(ctx),
      offersMessageHook: (m) => w.offers?.hook(m) ?? 'pass',
    });
    w.transport = nodeTransport(w.node);
    w.offers = new OffersShell({
      node: w.node,
      hooks: w.hookCtx!,
      router: w.router,
      root: offersRootFromSeed(w.node.applicationSecret('bolt12-offers')),
      chain: chainHash(opts.chain.network),
      book: new OfferBook(join(opts.dataDir, 'bolt12-offers.json')),
      clock: () => w.clock(),
      random: opts.random ?? ((n) => new Uint8Array(randomBytes(n))),
      logger: opts.logger,
    });
    if (opts.autoClaim ?? true) w.unsubscribe = w.node.on('paymentClaimable', (ev) => w.onClaimable(ev));
    const offClaimed = w.node.on('paymentClaimed', (ev) => w.offers.paymentClaimed(ev.paymentHash));
    const offClaimable = w.unsubscribe;
    w.unsubscribe = () => {
      offClaimed();
      offClaimable?.();
    };
    const every = opts.maintenanceIntervalMs ?? 60_000;
    if (every > 0) {
      w.maintenance = setInterval(() => void w.leases.maintain().catch(() => undefined), every);
      w.maintenance.unref();
    }
    for (const [, addr] of w.lspAddrs) if (addr) await w.node.connect(addr).catch(() => undefined);
    return w;
  }

  /** The LSPS2 client for a configured LSP. */
  client(lsp: NodeIdHex): Lsps2Client {
    const id = lsp.toLowerCase();
    let c = this.clients.get(id);
    if (!c) {
      c = new Lsps2Client({
        lsp: id,
        transport: this.transport,
        random: this.opts.random ?? ((n) => new Uint8Array(randomBytes(n))),
        clock: this.opts.clock,
        feeLimits: this.opts.feeLimits,
        requestTimeoutMs: this.opts.requestTimeoutMs,
        logger: this.opts.logger,
      });
      this.clients.set(id, c);
    }
    return c;
  }

  /**
   * Connects to the LSP, checks it speaks LSPS2, fetches its fee menu and picks the cheapest tier
   * within the wallet's limits, buys a first no-MPP lease, creates a BOLT 12 offer and registers it
   * with the router. Returns the offer string. The offer is amountless (LDK 0.1 bindings, see the
   * file comment): the payer chooses the amount; `description` is for display only.
   * @example const { offer } = await wallet.receiveViaLsp({ lsp: '02ab..@127.0.0.1:9735' });
   */
  async receiveViaLsp(o: ReceiveViaLspOptions): Promise<ReceiveViaLspResult> {
    const { addr, params, lease } = await this.prepareLsp(o.lsp, o.token);
    const { offer, offerId } = this.node.createOffer();
    this.router.register({ offerId }, { nodeId: addr.nodeId, cltvExpiryDelta: lease.lspCltvExpiryDelta }, o.policy);
    const out: ReceiveViaLspResult = {
      offer,
      offerId,
      lspNodeId: addr.nodeId,
      feeParams: {
        minFeeMsat: params.minFeeMsat,
        proportional: params.proportional,
        minPaymentSizeMsat: params.minPaymentSizeMsat,
        maxPaymentSizeMsat: params.maxPaymentSizeMsat,
      },
      lease,
    };
    if (o.description !== undefined) out.description = o.description;
    return out;
  }

  /**
   * A BOLT 12 offer built in TypeScript, with its amount, description, issuer, expiry and quantity,
   * whose paths enter through `lsp`; the wallet answers its invoice_requests itself (invoices with a
   * JIT path through the LSP while inbound liquidity is short, as for `receiveViaLsp`).
   * @example const { offer } = await wallet.createOffer({ amountMsat: 5_000_000n, description: 'Coffee', lsp })
   */
  async createOffer(
    o: CreateOfferOptions & { lsp: PeerAddress | string; token?: string; policy?: Partial<LeasePolicy> },
  ): Promise<CreateOfferResult> {
    const { addr, lease } = await this.prepareLsp(o.lsp, o.token);
    const built = this.offers.createOffer(o, addr.nodeId, (offerId) =>
      this.router.register({ offerId }, { nodeId: addr.nodeId, cltvExpiryDelta: lease.lspCltvExpiryDelta }, o.policy),
    );
    return { offer: built.string, offerId: built.offerIdHex, lspNodeId: addr.nodeId };
  }

  /**
   * A *group offer* for `totalMsat` that several payers pay together (`payOfferShare`): every payer
   * within the window gets an invoice with one payment hash, secret and paths, the JIT path an MPP
   * lease for the total. It closes when the payment is claimed or the window ends.
   */
  async createGroupOffer(o: CreateGroupOfferOptions): Promise<CreateOfferResult> {
    if (!Number.isInteger(o.windowSecs) || o.windowSecs <= 0)
      throw new TypeError(`windowSecs: expected a positive integer, got ${o.windowSecs}`);
    const { addr, lease } = await this.prepareLsp(o.lsp);
    const now = this.clock().getTime();
    const closesAtMs = now + o.windowSecs * 1000;
    // The group's payment paths take an MPP lease for exactly the total: a no-MPP one refuses shares.
    await this.leases.buyMppLease(addr.nodeId, o.totalMsat);
    const built = this.offers.createOffer(
      { amountMsat: o.totalMsat, description: o.description, issuer: o.issuer, absoluteExpiry: new Date(closesAtMs) },
      addr.nodeId,
      (offerId) =>
        this.router.register({ offerId }, { nodeId: addr.nodeId, cltvExpiryDelta: lease.lspCltvExpiryDelta }),
      { totalMsat: o.totalMsat, opensAtMs: now, closesAtMs, maxPayers: o.maxPayers ?? 64 },
    );
    return { offer: built.string, offerId: built.offerIdHex, lspNodeId: addr.nodeId };
  }

  /**
   * Pays an offer through TypeScript: a signed invoice_request, the invoice checked against the offer
   * and the request, paid over its blinded paths. Resolves when the payment is sent; watch
   * `paymentSent`/`paymentFailed` with `paymentId`. This pays invoices LDK 0.1 would not parse.
   */
  payOffer(
    offer: string,
    o: { amountMsat?: bigint; quantity?: bigint; payerNote?: string } = {},
  ): Promise<PaidInvoice> {
    return this.offers.payOffer(offer, o);
  }

  /**
   * Pays `shareMsat` of a `totalMsat` group offer (shaped after LDK's `pay_for_bolt12_invoice(..,
   * amount_msats)`): `0 < share <= total` is checked before anything is sent; the invoice must allow
   * MPP unless the share is the total; the onion carries the total, the HTLCs only the share. Returns
   * the payment id.
   */
  payOfferShare(offer: string, a: { totalMsat: bigint; shareMsat: bigint }): string {
    return this.offers.payOfferShare(offer, a);
  }

  /** Raw invoice_request bytes to an offer, and its answer (for tools and tests; `payOffer` checks everything). */
  requestInvoice(offer: string, bytes: Uint8Array, timeoutMs = 30_000): Promise<InvoiceReply> {
    return this.offers.requestInvoice(offer, bytes, timeoutMs);
  }

  /** Connects to a configured LSP, checks it speaks LSPS2, buys a first lease under its cheapest tier. */
  private async prepareLsp(lsp: PeerAddress | string, token?: string) {
    const addr = parseLsp(lsp);
    if (!this.lspAddrs.has(addr.nodeId)) {
      throw new Lsps2ClientError(
        'refused',
        `LSP ${addr.nodeId} is not in JitWalletOptions.lsps (zero-conf trust is set at start)`,
      );
    }
    const known = addr.host ? addr : this.lspAddrs.get(addr.nodeId);
    if (!this.transport.isConnected(addr.nodeId)) {
      if (!known) throw new Lsps2ClientError('send-failed', `LSP ${addr.nodeId} is not connected and has no address`);
      const reconnected = this.node.waitFor('peerConnected', (e) => e.peerNodeId === addr.nodeId, 30_000);
      reconnected.catch(() => undefined);
      // A slow handshake fails connect() after its own deadline; the engine keeps reconnecting (persistent peer).
      await this.node.connect(known).catch(async (e: unknown) => {
        if (this.transport.isConnected(addr.nodeId)) return;
        this.opts.logger?.log('warn', 'LSP connect failed; waiting for the reconnect', {
          lsp: addr.nodeId,
          error: (e as Error).message,
        });
        await reconnected;
      });
    }
    const client = this.client(addr.nodeId);
    const protocols = await client.listProtocols();
    if (!protocols.includes(2))
      throw new Lsps2ClientError(
        'refused',
        `LSP ${addr.nodeId} does not offer LSPS2 (lists ${protocols.join(', ') || 'nothing'})`,
      );
    const params: OpeningFeeParams = client.chooseParams(await client.getInfo(token ?? this.opts.token));
    const lease = leaseFromPurchase(addr.nodeId, await client.buy(params), this.clock());
    this.router.addLease(lease);
    return { addr, params, lease };
  }

  /**
   * bLIP-55 `lsps5.set_webhook` at `lsp`: the LSP POSTs wake-up notifications to `webhook` while the wallet is
   * offline (and holds its onion messages while the webhook lasts). `lsp` must be connected.
   * @example await wallet.setWebhook(lspId, 'My Wallet', 'https://push.example.org/lsps5?token=...');
   */
  setWebhook(lsp: NodeIdHex, appName: string, webhook: string): Promise<SetWebhookResult> {
    return new Lsps5Client(this.client(lsp)).setWebhook(appName, webhook);
  }

  /** bLIP-55 `lsps5.list_webhooks` at `lsp`. */
  listWebhooks(lsp: NodeIdHex): Promise<ListWebhooksResult> {
    return new Lsps5Client(this.client(lsp)).listWebhooks();
  }

  /** bLIP-55 `lsps5.remove_webhook` at `lsp`. */
  removeWebhook(lsp: NodeIdHex, appName: string): Promise<void> {
    return new Lsps5Client(this.client(lsp)).removeWebhook(appName);
  }

  async stop(): Promise<void> {
    if (this.maintenance) clearInterval(this.maintenance);
    this.offers?.close();
    this.unsubscribe?.();
    for (const c of this.clients.values()) c.close();
    await this.leases.idle();
    await this.node?.stop();
  }

  private clock(): Date {
    return (this.opts.clock ?? (() => new Date()))();
  }

  /**
   * Claims a payment the wallet recognises and fails every other one back at once (a claimable left alone holds
   * the payer's HTLC until its CLTV expiry). Recognised: a payment to one of our BOLT 12 offers whose preimage
   * LDK derived, and, when the LSP skimmed a fee, bLIP-52 "Forwarding": a lease of ours expects that fee (the
   * amount plus the skim equals the invoice amount the lease was assigned to, and the skim is at most the
   * opening fee for that amount). bLIP-25: the receiver MUST fail an HTLC whose extra fee it did not expect or
   * finds too high; BOLT 4 incorrect_or_unknown_payment_details says so without telling the payer more.
   */
  private onClaimable(ev: NodeEventOf<'paymentClaimable'>): void {
    const refusal = this.refusal(ev);
    if (refusal === undefined) {
      this.node.claimFunds(ev.preimage!);
      return;
    }
    this.opts.logger?.log('error', `failing the payment back: ${refusal}`, {
      paymentHash: ev.paymentHash,
      purpose: ev.purpose,
      amountMsat: String(ev.amountMsat),
      skimMsat: String(ev.counterpartySkimmedFeeMsat),
    });
    this.node.failClaimablePayment(ev.paymentHash, 'incorrect_or_unknown_payment_details');
  }

  /** Why a claimable payment is refused, or undefined to claim it. */
  private refusal(ev: NodeEventOf<'paymentClaimable'>): string | undefined {
    if (ev.purpose !== 'bolt12-offer') return `not a payment to one of our offers (${ev.purpose})`;
    if (!ev.preimage) return 'no preimage known for it';
    const skim = ev.counterpartySkimmedFeeMsat;
    if (skim === 0n) return undefined;
    const total = ev.amountMsat + skim;
    const expected = this.router.leases().some((l) => {
      if (l.assignment?.amountMsat !== total) return false;
      const fee = computeOpeningFee(total, l.terms.minFeeMsat, l.terms.proportional);
      return fee !== null && skim <= fee;
    });
    return expected ? undefined : 'unexpected LSP fee skim';
  }
}

/** One call: see {@link JitWallet.receiveViaLsp}. */
export function receiveViaLsp(wallet: JitWallet, o: ReceiveViaLspOptions): Promise<ReceiveViaLspResult> {
  return wallet.receiveViaLsp(o);
}

function parseLsp(l: PeerAddress | string): PeerAddress | { nodeId: NodeIdHex; host?: undefined; port?: undefined } {
  if (typeof l !== 'string') return { ...l, nodeId: l.nodeId.toLowerCase() };
  const m = /^((?:02|03)[0-9a-fA-F]{64})(?:@(.+):(\d{1,5}))?$/.exec(l.trim());
  if (!m)
    throw new TypeError(
      `lsp: expected "nodeId@host:port" or a 33-byte hex node id, got ${JSON.stringify(l.slice(0, 80))}`,
    );
  const nodeId = m[1]!.toLowerCase();
  if (m[2] === undefined) return { nodeId };
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new TypeError(`lsp: expected a port in 1..65535, got ${m[3]}`);
  return { nodeId, host: m[2], port };
}
