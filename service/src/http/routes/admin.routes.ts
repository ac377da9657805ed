/**
 * The admin API (behind {@link adminAuth}): inspect JIT sessions by SCID or by peer, the node and its peers.
 * Read-only. SCIDs are accepted as BOLT 7 `BBBxTTTxOOO` or as a decimal u64; node ids as 66 hex characters.
 */
import { formatScid, parseScid } from '@jitlsp/shared/lsps0';
import type { LightningNodeApi } from '@jitlsp/engine/node';
import { Router, type Request } from 'express';
import type { JitChannelStateKind, JitSession } from '../../lsps2/session.js';
import { badRequest, HttpError, notFound } from '../http-error.js';
import { toJsonSafe } from '../json.js';

export interface AdminSessionSource {
  get(scid: bigint): Promise<JitSession | undefined>;
  listByClient(clientNodeId: string): Promise<JitSession[]>;
  listRecent(opts: { limit: number; stateKind?: JitChannelStateKind }): Promise<JitSession[]>;
}

export type AdminNodeView = Pick<LightningNodeApi, 'nodeId' | 'address' | 'listPeers' | 'listChannels' | 'memoryStats'>;

export interface AdminSources {
  sessions: AdminSessionSource;
  /** The running node, or undefined while it is starting or stopped. */
  node: () => AdminNodeView | undefined;
  /** Static facts shown by GET /admin/node. */
  info: { network: string; version: string; startedAt: Date };
}

const STATE_KINDS: readonly JitChannelStateKind[] = [
  'awaitingPayment',
  'openingChannel',
  'awaitingForward',
  'channelOpen',
  'done',
  'closed',
];
export const ADMIN_LIST_DEFAULT_LIMIT = 100;
export const ADMIN_LIST_MAX_LIMIT = 1000;

export function adminRoutes(src: AdminSources): Router {
  const r = Router();

  r.get('/sessions', async (req, res) => {
    const peer = oneQuery(req, 'peer');
    const state = oneQuery(req, 'state');
    const limitText = oneQuery(req, 'limit');
    const limit = limitText === undefined ? ADMIN_LIST_DEFAULT_LIMIT : Number(limitText);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > ADMIN_LIST_MAX_LIMIT || !/^\d+$/.test(limitText ?? '1')) {
      throw badRequest(
        `limit: expected an integer from 1 to ${ADMIN_LIST_MAX_LIMIT}, got ${JSON.stringify(limitText)}`,
      );
    }
    if (state !== undefined && !(STATE_KINDS as readonly string[]).includes(state)) {
      throw badRequest(`state: expected one of ${STATE_KINDS.join(', ')}, got ${JSON.stringify(state)}`);
    }
    let sessions: JitSession[];
    if (peer !== undefined) {
      sessions = (await src.sessions.listByClient(nodeIdParam(peer, 'peer')))
        .filter((s) => state === undefined || s.state.kind === state)
        .slice(-limit);
    } else {
      sessions = await src.sessions.listRecent({ limit, stateKind: state as JitChannelStateKind | undefined });
    }
    res.json({ sessions: sessions.map(sessionView) });
  });

  r.get('/sessions/:scid', async (req, res) => {
    const scid = scidParam(String(req.params.scid));
    const s = await src.sessions.get(scid);
    if (s === undefined) throw notFound(`no JIT session with SCID ${formatScid(scid)}`);
    res.json({ session: sessionView(s) });
  });

  r.get('/node', (_req, res) => {
    const node = requireNode(src);
    const channels = node.listChannels();
    res.json(
      toJsonSafe({
        nodeId: node.nodeId,
        address: node.address ?? null,
        network: src.info.network,
        version: src.info.version,
        startedAt: src.info.startedAt,
        peerCount: node.listPeers().length,
        channelCount: channels.length,
        usableChannelCount: channels.filter((c) => c.isUsable).length,
        memory: node.memoryStats(),
      }),
    );
  });

  r.get('/peers', (_req, res) => {
    res.json(toJsonSafe({ peers: requireNode(src).listPeers() }));
  });

  r.get('/channels', (_req, res) => {
    res.json(toJsonSafe({ channels: requireNode(src).listChannels() }));
  });

  return r;
}

/** A session for operators: the stored data plus the SCID in BOLT 7 form and the payment mode. */
export function sessionView(s: JitSession): unknown {
  return toJsonSafe({
    jitChannelScid: formatScid(s.terms.jitChannelScid),
    jitChannelScidU64: s.terms.jitChannelScid,
    clientNodeId: s.terms.clientNodeId,
    mode: s.terms.paymentSizeMsat === null ? 'no_mpp' : 'mpp',
    state: s.state,
    terms: s.terms,
    version: s.version,
    updatedAt: s.updatedAt,
  });
}

function requireNode(src: AdminSources): AdminNodeView {
  const node = src.node();
  if (node === undefined) throw new HttpError(503, 'node_not_started', 'the Lightning node is not running');
  return node;
}

function oneQuery(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(`${name}: expected a single value`);
  return v;
}

function nodeIdParam(v: string, name: string): string {
  if (!/^(02|03)[0-9a-fA-F]{64}$/.test(v))
    throw badRequest(`${name}: expected a node id (66 hex characters), got ${JSON.stringify(v.slice(0, 80))}`);
  return v.toLowerCase();
}

function scidParam(v: string): bigint {
  if (/^\d{1,20}$/.test(v)) {
    const n = BigInt(v);
    if (n <= 0xffff_ffff_ffff_ffffn) return n;
  }
  try {
    return parseScid(v, 'scid');
  } catch {
    throw badRequest(`scid: expected BBBxTTTxOOO or a decimal u64, got ${JSON.stringify(v.slice(0, 80))}`);
  }
}
