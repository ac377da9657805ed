/**
 * Assembly and restore of the node's LDK objects from `lightningdevkit` 0.1.0: KeysManager, FeeEstimator,
 * BroadcasterInterface, ChainMonitor with the file persister, network graph, scorer, routers, ChannelManager
 * (restored from `manager.bin` and `monitors/` when present), OnionMessenger and PeerManager.
 *
 * Every object is returned and kept referenced by the node for its lifetime: LDK holds raw pointers to the
 * JS implementations, which the garbage collector would otherwise free (docs/ldk-pitfalls.md, "lifetimes").
 */
import * as ldk from 'lightningdevkit';
import type { Logger } from '@jitlsp/shared/log';
import * as path from 'node:path';
import type { ChainSource, FeeTarget } from '../chain/types.js';
import { blockHashBytes, catchUpRestored } from './chain-sync.js';
import { defaultUserConfig } from './config.js';
import { CustomMessages, type CustomMessageSink } from './custom-messages.js';
import { idBytes } from './ids.js';
import { ldkLogger } from './logger.js';
import { errText } from './mappers.js';
import { loadMonitors } from './monitor-files.js';
import { fullSyncPersister, MonitorPersister } from './monitor-persister.js';
import { OnionOutbox } from './onion-outbox.js';
import { loadOrCreateSeed } from './seed.js';
import type { FileStore } from './store.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { inboundPaymentKeys, type InboundPaymentKeys } from './inbound-keys.js';
import { CustomOnionOutbox, offersFront } from './onion-hooks.js';
import { PayerRoutes } from './payer-routes.js';
import {
  LSPS0_MESSAGE_TYPE,
  type ChannelInfo,
  type NodeEvent,
  type NodeOptions,
  type RouterHookContext,
} from './types.js';

export const MANAGER_FILE = 'manager.bin';

/** The LDK objects of one node. */
export interface LdkObjects {
  km: ldk.KeysManager;
  cm: ldk.ChannelManager;
  chainMonitor: ldk.ChainMonitor;
  om: ldk.OnionMessenger;
  pm: ldk.PeerManager;
  customMessages: CustomMessages;
  /** The asynchronous monitor persister ('incremental' persistence; absent with 'full-sync'). */
  monitors?: MonitorPersister;
  /** Between the PeerManager and the OnionMessenger (absent when `onionOutbox` is false). */
  outbox?: OnionOutbox;
  /** Onion messages the application sends (custom handler's queue). */
  customOutbox: CustomOnionOutbox;
  /** The payer router's per-payment extensions (shares, raw blinded routes). */
  payerRoutes: PayerRoutes;
  /** Secrets derived from the seed before it is wiped: never logged. */
  inboundKeys: InboundPaymentKeys;
  appSecret: Uint8Array;
  /** Everything else LDK points to (kept referenced, never used directly). */
  keepAlive: unknown[];
}

export interface AssemblyInput {
  opts: NodeOptions;
  chain: ChainSource;
  store: FileStore;
  logger: Logger;
  name: string;
  random: (n: number) => Uint8Array;
  nowMs: number;
  manualAccept: boolean;
  /** LDK asks to broadcast these transactions. */
  broadcast(txs: Uint8Array[]): void;
  /** What the custom-message handler reports (messages, peers connecting and leaving). */
  customMessageSink: CustomMessageSink;
  /** Offers messages the hook took and custom onion messages, raised after LDK returns. */
  onionSink(ev: NodeEvent): void;
  /** For the router hooks: the synced height and the channel list (both only valid once started). */
  bestHeight(): number;
  listChannels(): ChannelInfo[];
  log(level: 'info' | 'warn' | 'error' | 'debug', msg: string, fields?: Record<string, unknown>): void;
  /** Schedule an event-loop pass (a monitor write became durable, onion messages wait). */
  kick(): void;
}

export interface Assembled extends LdkObjects {
  seedCreated: boolean;
  /** The chain tip every restored object was brought to. */
  tipHeight: number;
}

const NETWORKS = {
  regtest: ldk.Network.LDKNetwork_Regtest,
  testnet: ldk.Network.LDKNetwork_Testnet,
  // lightningdevkit 0.1 has no Testnet4 variant: the node runs with testnet's parameters there.
  testnet4: ldk.Network.LDKNetwork_Testnet,
  signet: ldk.Network.LDKNetwork_Signet,
  bitcoin: ldk.Network.LDKNetwork_Bitcoin,
} as const;

/** LDK's ConfirmationTarget by name (the chain module's FeeTarget), in the enum's order. */
const FEE_TARGET_OF: Record<ldk.ConfirmationTarget, FeeTarget> = {
  [ldk.ConfirmationTarget.LDKConfirmationTarget_MaximumFeeEstimate]: 'MaximumFeeEstimate',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_UrgentOnChainSweep]: 'UrgentOnChainSweep',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_MinAllowedAnchorChannelRemoteFee]: 'MinAllowedAnchorChannelRemoteFee',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_MinAllowedNonAnchorChannelRemoteFee]:
    'MinAllowedNonAnchorChannelRemoteFee',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_AnchorChannelFee]: 'AnchorChannelFee',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_NonAnchorChannelFee]: 'NonAnchorChannelFee',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_ChannelCloseMinimum]: 'ChannelCloseMinimum',
  [ldk.ConfirmationTarget.LDKConfirmationTarget_OutputSpendingFee]: 'OutputSpendingFee',
};

export async function assembleNode(input: AssemblyInput): Promise<Assembled> {
  const { opts, chain, store } = input;
  const keepAlive: unknown[] = [];
  const { seed, created } = loadOrCreateSeed(opts.seedFile ?? path.join(opts.dataDir, 'seed'), input.random);
  const nowMs = input.nowMs;
  const km = ldk.KeysManager.constructor_new(seed, BigInt(Math.floor(nowMs / 1000)), (nowMs % 1000) * 1_000_000);
  const inboundKeys = inboundPaymentKeys(seed);
  const appSecret = hmac(sha256, seed, new TextEncoder().encode('jitlsp/application-secrets'));
  seed.fill(0);
  const ldkLog = ldkLogger(input.logger, opts.ldkLogLevel ?? 'warn', input.name);
  const fees = ldk.FeeEstimator.new_impl({
    get_est_sat_per_1000_weight: (t: ldk.ConfirmationTarget) => chain.feeRateSatPerKw(FEE_TARGET_OF[t]),
  });
  const broadcaster = ldk.BroadcasterInterface.new_impl({
    broadcast_transactions: (txs: Uint8Array[]) => input.broadcast(txs),
  });
  const monitors =
    opts.monitorPersistence === 'full-sync'
      ? undefined
      : new MonitorPersister({
          dir: opts.dataDir,
          consolidateEvery: opts.monitorConsolidateEvery,
          completed: (funding, updateId) => {
            const res = chainMonitor.channel_monitor_updated(funding, updateId);
            if (!res.is_ok())
              input.log('warn', 'channel_monitor_updated refused', { updateId: String(updateId), error: errText(res) });
            input.kick();
          },
          log: (level, msg, fields) => input.log(level, msg, fields),
          beforeComplete: opts.beforeMonitorUpdateCompleted,
        });
  const persister = monitors?.persist ?? fullSyncPersister(store, (msg, fields) => input.log('error', msg, fields));
  const chainMonitor = ldk.ChainMonitor.constructor_new(
    ldk.Option_FilterZ.constructor_none(),
    broadcaster,
    ldkLog,
    fees,
    persister,
  );
  keepAlive.push(ldkLog, fees, broadcaster, persister);

  const network = NETWORKS[chain.network];
  const graph = ldk.NetworkGraph.constructor_new(network, ldkLog);
  const scorer = ldk.ProbabilisticScorer.constructor_new(
    ldk.ProbabilisticScoringDecayParameters.constructor_default(),
    graph,
    ldkLog,
  );
  const score = ldk.MultiThreadedLockableScore.constructor_new(scorer.as_Score());
  const entropy = km.as_EntropySource();
  const defaultRouter = ldk.DefaultRouter.constructor_new(
    graph,
    ldkLog,
    entropy,
    score.as_LockableScore(),
    ldk.ProbabilisticScoringFeeParameters.constructor_default(),
  );
  const defaultMessageRouter = ldk.DefaultMessageRouter.constructor_new(graph, entropy);
  // Set once the ChannelManager exists (the hooks may only call it after start-up).
  let cmRef!: ldk.ChannelManager;
  const ctx: RouterHookContext = {
    nodeId: (km.as_NodeSigner().get_node_id(ldk.Recipient.LDKRecipient_Node) as ldk.Result_PublicKeyNoneZ_OK).res,
    defaultRouter: defaultRouter.as_Router(),
    defaultMessageRouter: defaultMessageRouter.as_MessageRouter(),
    keysManager: km,
    entropySource: entropy,
    nodeSigner: km.as_NodeSigner(),
    networkGraph: graph,
    bestHeight: input.bestHeight,
    listChannels: input.listChannels,
    usableChannels: () => cmRef.list_usable_channels(),
  };
  // The payer extensions (shares, raw blinded routes) sit in front of whatever router is installed.
  const payerRoutes = new PayerRoutes();
  const router = payerRoutes.wrap(opts.routerHook ? opts.routerHook(ctx) : ctx.defaultRouter, (msg, fields) =>
    input.log('info', msg, fields),
  );
  const messageRouter = opts.messageRouterHook ? opts.messageRouterHook(ctx) : ctx.defaultMessageRouter;
  keepAlive.push(graph, scorer, score, defaultRouter, defaultMessageRouter, ctx, router, messageRouter);

  const userConfig = defaultUserConfig(opts, input.manualAccept);
  const tip = await chain.tip();
  let height = tip.height;

  // Restore: monitors first, then the manager that references them (LDK's documented order).
  const restored = loadMonitors(store, {
    entropy,
    signerProvider: km.as_SignerProvider(),
    broadcaster,
    fees,
    logger: ldkLog,
  });
  let cm: ldk.ChannelManager;
  const managerBytes = store.read(MANAGER_FILE);
  if (managerBytes) {
    const res = ldk.UtilMethods.constructor_C2Tuple_ThirtyTwoBytesChannelManagerZ_read(
      managerBytes,
      entropy,
      km.as_NodeSigner(),
      km.as_SignerProvider(),
      fees,
      chainMonitor.as_Watch(),
      broadcaster,
      router,
      messageRouter,
      ldkLog,
      userConfig,
      restored.monitors,
    );
    if (!(res instanceof ldk.Result_C2Tuple_ThirtyTwoBytesChannelManagerZDecodeErrorZ_OK)) {
      throw new Error(`Node/restore: ${MANAGER_FILE} does not decode as a ChannelManager (${errText(res)})`);
    }
    cm = res.res.get_b();
    // Bring every restored listener to the tip before the monitors are watched.
    height = await catchUpRestored(chain, restored.monitors, cm, { broadcaster, fees, logger: ldkLog, log: input.log });
    for (const mon of restored.monitors) {
      const watched = chainMonitor.as_Watch().watch_channel(mon.get_funding_txo().get_a(), mon);
      if (!(watched instanceof ldk.Result_ChannelMonitorUpdateStatusNoneZ_OK))
        throw new Error('Node/restore: watch_channel refused a monitor');
    }
    input.log('info', 'node restored', {
      channels: restored.monitors.length,
      monitorUpdatesReplayed: restored.replayed,
      managerBytes: managerBytes.length,
      height,
    });
  } else {
    if (restored.monitors.length > 0)
      throw new Error('Node/restore: channel monitors exist but manager.bin is missing; refusing to start');
    const params = ldk.ChainParameters.constructor_new(
      network,
      ldk.BestBlock.constructor_new(blockHashBytes(tip.hash), tip.height),
    );
    cm = ldk.ChannelManager.constructor_new(
      fees,
      chainMonitor.as_Watch(),
      broadcaster,
      router,
      messageRouter,
      ldkLog,
      entropy,
      km.as_NodeSigner(),
      km.as_SignerProvider(),
      userConfig,
      params,
      Math.floor(nowMs / 1000),
    );
    store.writeAtomic(MANAGER_FILE, cm.write());
  }

  cmRef = cm;
  // Onion messages: the LSP's hook maps JIT SCIDs to clients before the ChannelManager's own lookup.
  const cmLookup = cm.as_NodeIdLookUp();
  const hook = opts.nodeIdLookup;
  const lookup = hook
    ? ldk.NodeIdLookUp.new_impl({
        next_node_id: (scid: bigint) => {
          const hit = hook(scid);
          return hit ? idBytes(hit, 33, 'nodeIdLookup result') : cmLookup.next_node_id(scid);
        },
      })
    : cmLookup;
  const onHookError = (e: unknown) => input.log('error', 'onion message hook failed', { error: String(e) });
  const customOutbox = new CustomOnionOutbox(
    new Set(opts.customOnionMessageTypes ?? []),
    (m) => input.onionSink({ type: 'customOnionMessage', ...m }),
    onHookError,
  );
  const offersHandler = opts.offersMessageHook
    ? offersFront(
        cm.as_OffersMessageHandler(),
        opts.offersMessageHook,
        (m) => input.onionSink({ type: 'offersMessage', ...m }),
        onHookError,
      )
    : cm.as_OffersMessageHandler();
  const omArgs = [
    entropy,
    km.as_NodeSigner(),
    ldkLog,
    lookup,
    messageRouter,
    offersHandler,
    cm.as_AsyncPaymentsMessageHandler(),
    cm.as_DNSResolverMessageHandler(),
    customOutbox.handler,
  ] as const;
  const om = opts.interceptOfflinePeerOnionMessages
    ? ldk.OnionMessenger.constructor_new_with_offline_peer_interception(...omArgs)
    : ldk.OnionMessenger.constructor_new(...omArgs);
  keepAlive.push(lookup, cmLookup, omArgs, customOutbox, offersHandler);

  const customMessages = new CustomMessages(
    new Set([LSPS0_MESSAGE_TYPE]),
    input.customMessageSink,
    !!opts.advertiseLsps0,
  );
  const ignorer = ldk.IgnoringMessageHandler.constructor_new();
  const outbox = opts.onionOutbox === false ? undefined : new OnionOutbox(om.as_OnionMessageHandler(), input.kick);
  const pm = ldk.PeerManager.constructor_new(
    cm.as_ChannelMessageHandler(),
    ignorer.as_RoutingMessageHandler(),
    outbox?.handler ?? om.as_OnionMessageHandler(),
    customMessages.handler,
    Math.floor(nowMs / 1000),
    input.random(32),
    ldkLog,
    km.as_NodeSigner(),
  );
  keepAlive.push(ignorer);
  return {
    km,
    cm,
    chainMonitor,
    om,
    pm,
    customMessages,
    monitors,
    outbox,
    customOutbox,
    payerRoutes,
    inboundKeys,
    appSecret,
    keepAlive,
    seedCreated: created,
    tipHeight: height,
  };
}
