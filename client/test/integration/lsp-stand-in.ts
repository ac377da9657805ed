/**
 * A minimal LSP for the client's integration tests (the service daemon is tested on its own): a real
 * engine node answering lsps0.list_protocols / lsps2.get_info / lsps2.buy over message 37913 with
 * the shared LSPS0/LSPS2 codecs, opening a zero-conf channel on the first intercepted HTLC and
 * forwarding it with the opening fee skimmed, and holding onion messages for offline peers.
 * No promise checking, no MPP collection: just enough LSP to exercise the wallet side for real.
 *
 * `overSkimMsat` makes it misbehave: it skims that much more than the opening fee it sold. No real LSP (the
 * service daemon included) can be made to do this, which is why the wallet's refusal is tested against this
 * stand-in.
 */
import type { SandboxChain } from '@jitlsp/engine/chain';
import {
  encodePayload,
  formatMsat,
  formatScid,
  LSPS0_LIST_PROTOCOLS_METHOD,
  parseServerInbound,
  serializeErrorResponse,
  serializeResultResponse,
  methodNotFoundObject,
} from '@jitlsp/shared/lsps0';
import { computeOpeningFee, LSPS2_BUY_METHOD, LSPS2_GET_INFO_METHOD, parseBuyParams } from '@jitlsp/shared/lsps2';
import { LightningNode } from '@jitlsp/engine/node';
import type { Logger } from '@jitlsp/shared/log';

export interface StandInSale {
  client: string;
  scid: bigint;
  minFeeMsat: bigint;
  proportional: number;
  paymentSizeMsat?: bigint;
}

export interface StandInOptions {
  chain: SandboxChain;
  dataDir: string;
  logger?: Logger;
  clock?: () => Date;
  minFeeMsat?: bigint;
  proportional?: number;
  validForMs?: number;
  cltvExpiryDelta?: number;
  /** Misbehave: skim this much more than the opening fee when forwarding the first payment (default 0). */
  overSkimMsat?: bigint;
}

export class LspStandIn {
  readonly sales: StandInSale[] = [];
  readonly opened: { client: string; channelId: string }[] = [];
  /** SCIDs of every intercepted HTLC, in order. */
  readonly intercepted: bigint[] = [];
  private readonly held = new Map<string, Uint8Array[]>();
  private constructor(
    readonly node: LightningNode,
    private readonly o: StandInOptions,
  ) {}

  static async start(o: StandInOptions): Promise<LspStandIn> {
    const node = await LightningNode.start({
      dataDir: o.dataDir,
      chain: o.chain,
      name: 'lsp',
      listen: { host: '127.0.0.1', port: 0 },
      logger: o.logger,
      clock: o.clock,
      acceptInterceptHtlcs: true,
      interceptOfflinePeerOnionMessages: true,
      inboundChannels: { manualAccept: true, decide: () => 'accept-zero-conf' },
      reconnectBackoffMs: { min: 50, max: 500 },
    });
    const lsp = new LspStandIn(node, o);
    node.on('customMessageReceived', (ev) => lsp.onMessage(ev.peerNodeId, ev.payload));
    node.on(
      'htlcIntercepted',
      (ev) => void lsp.onIntercepted(ev).catch((e: Error) => o.logger?.log('error', 'stand-in', { e: e.message })),
    );
    node.on('onionMessageIntercepted', (ev) => {
      const list = lsp.held.get(ev.peerNodeId) ?? [];
      list.push(ev.message);
      lsp.held.set(ev.peerNodeId, list);
    });
    node.on('onionMessagePeerConnected', (ev) => {
      for (const m of lsp.held.get(ev.peerNodeId) ?? []) node.forwardOnionMessage(m, ev.peerNodeId);
      lsp.held.delete(ev.peerNodeId);
    });
    return lsp;
  }

  get heldMessageCount(): number {
    return [...this.held.values()].reduce((n, l) => n + l.length, 0);
  }

  private now(): Date {
    return (this.o.clock ?? (() => new Date()))();
  }

  private onMessage(peer: string, payload: Uint8Array): void {
    const msg = parseServerInbound(payload);
    const reply = (text: string) => this.node.sendCustomMessage(peer, encodePayload(text));
    if (msg.kind === 'invalid') return reply(serializeErrorResponse(msg.id, msg.error));
    const { id, method, params } = msg.request;
    if (method === LSPS0_LIST_PROTOCOLS_METHOD) return reply(serializeResultResponse(id, { protocols: [2] }));
    if (method === LSPS2_GET_INFO_METHOD) {
      const validUntil = new Date(this.now().getTime() + (this.o.validForMs ?? 3600_000)).toISOString();
      return reply(
        serializeResultResponse(id, {
          opening_fee_params_menu: [
            {
              min_fee_msat: formatMsat(this.o.minFeeMsat ?? 1_000_000n),
              proportional: this.o.proportional ?? 10_000,
              valid_until: validUntil,
              min_lifetime: 1008,
              max_client_to_self_delay: 2016,
              min_payment_size_msat: '10000',
              max_payment_size_msat: '4000000000',
              promise: 'stand-in-promise',
            },
          ],
        }),
      );
    }
    if (method === LSPS2_BUY_METHOD) {
      const parsed = parseBuyParams(params);
      if (!parsed.ok) return reply(serializeErrorResponse(id, parsed.error));
      const scid = this.node.getInterceptScid();
      const p = parsed.value.openingFeeParams;
      const sale: StandInSale = { client: peer, scid, minFeeMsat: p.minFeeMsat, proportional: p.proportional };
      if (parsed.value.paymentSizeMsat !== undefined) sale.paymentSizeMsat = parsed.value.paymentSizeMsat;
      this.sales.push(sale);
      return reply(
        serializeResultResponse(id, {
          jit_channel_scid: formatScid(scid),
          lsp_cltv_expiry_delta: this.o.cltvExpiryDelta ?? 144,
          client_trusts_lsp: false,
        }),
      );
    }
    return reply(serializeErrorResponse(id, methodNotFoundObject()));
  }

  private async onIntercepted(ev: {
    interceptId: string;
    requestedNextHopScid: bigint;
    expectedOutboundAmountMsat: bigint;
    inboundAmountMsat: bigint;
  }): Promise<void> {
    this.intercepted.push(ev.requestedNextHopScid);
    const sale = this.sales.find((s) => s.scid === ev.requestedNextHopScid);
    if (!sale) return this.node.failInterceptedHtlc(ev.interceptId);
    const existing = this.node.listChannels().find((c) => c.counterpartyNodeId === sale.client && c.isUsable);
    if (existing) {
      // The channel is open: later payments through the SCID pass without a fee.
      return this.node.forwardInterceptedHtlc(
        ev.interceptId,
        existing.channelId,
        sale.client,
        ev.expectedOutboundAmountMsat,
      );
    }
    const fee = computeOpeningFee(ev.expectedOutboundAmountMsat, sale.minFeeMsat, sale.proportional);
    if (fee === null || fee >= ev.expectedOutboundAmountMsat) return this.node.failInterceptedHtlc(ev.interceptId);
    const ready = this.node.waitFor('channelReady', (e) => e.counterpartyNodeId === sale.client, 20_000);
    await this.node.openChannel({ peer: sale.client, capacitySat: 2_000_000n, zeroConf: true });
    const r = await ready;
    this.opened.push({ client: sale.client, channelId: r.channelId });
    const skim = fee + (this.o.overSkimMsat ?? 0n);
    this.node.forwardInterceptedHtlc(ev.interceptId, r.channelId, sale.client, ev.expectedOutboundAmountMsat - skim);
  }

  async stop(): Promise<void> {
    await this.node.stop();
  }
}
