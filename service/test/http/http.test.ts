/**
 * The HTTP surface over a real socket (port 0, fetch) with a real SQLite-backed session repository.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '../../src/config/secret.js';
import { Database } from '../../src/db/database.js';
import { SessionRepository } from '../../src/db/repositories/session.repository.js';
import { createHttpApp } from '../../src/http/app.js';
import type { AdminNodeView, AdminSessionSource } from '../../src/http/routes/admin.routes.js';
import { listen, type RunningHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { ServiceMetrics } from '../../src/metrics/metrics.js';
import { CLIENT_A, CLIENT_B, closedState, makeSession, T0 } from '../db/fixtures.js';

const TOKEN = 'admin-token-0123456789abcdef';
const SCID = (539268n << 40n) | (845n << 16n) | 1n; // 539268x845x1

const fakeNode: AdminNodeView = {
  nodeId: '02' + '77'.repeat(32),
  address: '02' + '77'.repeat(32) + '@127.0.0.1:9735',
  listPeers: () => [
    {
      nodeId: CLIENT_A,
      address: '127.0.0.1:50000',
      inbound: true,
      initFeatures: new Uint8Array(0),
      supportsLsps0: false,
    },
  ],
  listChannels: () => [],
  memoryStats: () => ({ wasmBytes: 1 << 26, rssBytes: 1 << 27 }),
};

describe('HTTP: metrics, health and the admin API', () => {
  let dir: string;
  let db: Database;
  let sessions: SessionRepository;
  let http: RunningHttpServer;
  let nodeRunning: boolean;
  let logLines: string[];
  let brokenSessions: boolean;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jitlsp-http-'));
    db = await Database.open({ kind: 'sqlite', path: join(dir, 'db.sqlite') });
    sessions = new SessionRepository(db);
    nodeRunning = true;
    brokenSessions = false;
    logLines = [];
    const metrics = new ServiceMetrics({ processMetrics: false });
    metrics.setSessionCountSource(() => sessions.countByState());
    const sessionSource: AdminSessionSource = {
      get: (scid) => (brokenSessions ? Promise.reject(new Error('disk on fire: /secret/path')) : sessions.get(scid)),
      listByClient: (id) => sessions.listByClient(id),
      listRecent: (o) => sessions.listRecent(o),
    };
    const app = createHttpApp({
      metrics,
      health: { nodeStarted: () => nodeRunning, databaseReachable: () => db.ping() },
      admin: {
        sessions: sessionSource,
        node: () => (nodeRunning ? fakeNode : undefined),
        info: { network: 'regtest', version: '0.1.0', startedAt: T0 },
      },
      adminToken: new Secret(TOKEN),
      logger: createLogger({ level: 'trace', sink: (l) => logLines.push(l) }),
    });
    http = await listen(app, { host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    await http.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** GET with the admin token, or with none (`null`) and only `headers`. */
  const get = (path: string, token: string | null = TOKEN, headers: Record<string, string> = {}) =>
    fetch(http.url + path, { headers: token === null ? headers : { authorization: `Bearer ${token}`, ...headers } });

  it('listens on loopback on the port the OS gave', () => {
    expect(http.host).to.equal('127.0.0.1');
    expect(http.port).to.be.above(0);
  });

  describe('health', () => {
    it('answers /healthz while the process runs', async () => {
      const r = await get('/healthz', null);
      expect(r.status).to.equal(200);
      expect(await r.json()).to.deep.equal({ status: 'ok' });
    });

    it('is ready when the node is started and the database answers', async () => {
      const r = await get('/readyz', null);
      expect(r.status).to.equal(200);
      expect(await r.json()).to.deep.equal({ status: 'ready', checks: { node: true, database: true } });
    });

    it('is not ready (503, naming the check) while the node is not started', async () => {
      nodeRunning = false;
      const r = await get('/readyz', null);
      expect(r.status).to.equal(503);
      expect(await r.json()).to.deep.equal({ status: 'not_ready', checks: { node: false, database: true } });
    });

    it('is not ready once the database is closed', async () => {
      await db.close();
      const r = await get('/readyz', null);
      expect(r.status).to.equal(503);
      expect(((await r.json()) as { checks: unknown }).checks).to.deep.equal({ node: true, database: false });
    });
  });

  describe('metrics', () => {
    it('serves the Prometheus exposition without a token, sessions counted from the database', async () => {
      await sessions.create(makeSession());
      const r = await get('/metrics', null);
      expect(r.status).to.equal(200);
      expect(r.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
      const body = await r.text();
      expect(body).to.include('# HELP jitlsp_lsps2_buy_requests_total Number of lsps2.buy requests answered');
      expect(body).to.include('jitlsp_lsps2_sessions{state="awaitingPayment"} 1');
    });
  });

  describe('admin authentication', () => {
    it('answers 401 with a Bearer challenge when there is no token', async () => {
      const r = await get('/admin/node', null);
      expect(r.status).to.equal(401);
      expect(r.headers.get('www-authenticate')).to.match(/^Bearer/);
      expect(await r.json()).to.deep.equal({
        error: { code: 'unauthorized', message: 'expected an Authorization: Bearer <token> header' },
      });
    });

    it('answers 401 to a wrong token, a token of another length, or another scheme', async () => {
      for (const headers of [
        { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
        { authorization: 'Bearer x' },
        { authorization: `Basic ${Buffer.from('a:' + TOKEN).toString('base64')}` },
        { authorization: TOKEN },
      ]) {
        const r = await get('/admin/node', null, headers);
        expect(r.status, JSON.stringify(headers)).to.equal(401);
      }
    });

    it('answers 401 to everything when no admin token is configured', async () => {
      const app = createHttpApp({
        metrics: new ServiceMetrics({ processMetrics: false }),
        health: { nodeStarted: () => true, databaseReachable: async () => true },
        admin: { sessions, node: () => fakeNode, info: { network: 'regtest', version: 'x', startedAt: T0 } },
        adminToken: undefined,
        logger: createLogger({ level: 'silent' }),
      });
      const other = await listen(app, { host: '127.0.0.1', port: 0 });
      try {
        const r = await fetch(other.url + '/admin/node', { headers: { authorization: 'Bearer anything-at-all-here' } });
        expect(r.status).to.equal(401);
        expect(((await r.json()) as { error: { message: string } }).error.message).to.match(/JITLSP_ADMIN_TOKEN/);
      } finally {
        await other.close();
      }
    });

    it('never writes the admin token to the log', async () => {
      await get('/admin/sessions');
      await get('/admin/sessions?peer=' + TOKEN);
      expect(logLines.length).to.be.above(0);
      expect(logLines.join('\n')).to.not.include(TOKEN);
    });
  });

  describe('admin sessions', () => {
    beforeEach(async () => {
      await sessions.create(makeSession({ terms: { jitChannelScid: SCID, createdAt: new Date(T0.getTime() + 1) } }));
      await sessions.create(
        makeSession({
          terms: {
            jitChannelScid: 2n,
            clientNodeId: CLIENT_B,
            paymentSizeMsat: null,
            createdAt: new Date(T0.getTime() + 2),
          },
        }),
      );
      await sessions.create(
        makeSession({ terms: { jitChannelScid: 3n, createdAt: new Date(T0.getTime() + 3) }, state: closedState() }),
      );
    });

    it('inspects a session by its BOLT 7 SCID or its decimal u64, bigints as strings', async () => {
      for (const key of ['539268x845x1', SCID.toString()]) {
        const r = await get('/admin/sessions/' + key);
        expect(r.status).to.equal(200);
        const { session } = (await r.json()) as { session: Record<string, any> };
        expect(session.jitChannelScid).to.equal('539268x845x1');
        expect(session.jitChannelScidU64).to.equal(SCID.toString());
        expect(session.mode).to.equal('mpp');
        expect(session.state.kind).to.equal('awaitingPayment');
        expect(session.terms.paymentSizeMsat).to.equal('500000000');
        expect(session.terms.userChannelId).to.equal((2n ** 100n + 7n).toString());
      }
    });

    it('answers 404 for an unknown SCID and 400 for a malformed one', async () => {
      let r = await get('/admin/sessions/1x2x3');
      expect(r.status).to.equal(404);
      expect(await r.json()).to.deep.equal({ error: { code: 'not_found', message: 'no JIT session with SCID 1x2x3' } });
      for (const bad of ['abc', '1x2', '99999999999999999999999', '01x2x3']) {
        r = await get('/admin/sessions/' + bad);
        expect(r.status, bad).to.equal(400);
        expect(((await r.json()) as { error: { code: string } }).error.code).to.equal('bad_request');
      }
    });

    it('lists the newest sessions, optionally by state and with a limit', async () => {
      let r = await get('/admin/sessions');
      let body = (await r.json()) as { sessions: { jitChannelScidU64: string; mode: string }[] };
      expect(body.sessions.map((s) => s.jitChannelScidU64)).to.deep.equal(['3', '2', SCID.toString()]);
      r = await get('/admin/sessions?state=awaitingPayment&limit=1');
      body = (await r.json()) as typeof body;
      expect(body.sessions.map((s) => [s.jitChannelScidU64, s.mode])).to.deep.equal([['2', 'no_mpp']]);
    });

    it('lists one peer’s sessions', async () => {
      const r = await get('/admin/sessions?peer=' + CLIENT_A);
      const body = (await r.json()) as { sessions: { jitChannelScidU64: string }[] };
      expect(body.sessions.map((s) => s.jitChannelScidU64)).to.deep.equal([SCID.toString(), '3']);
    });

    it('answers 400 naming the parameter for a bad peer, state, limit or a repeated parameter', async () => {
      const cases: [string, RegExp][] = [
        ['?peer=02abc', /^peer: expected a node id/],
        ['?state=flying', /^state: expected one of awaitingPayment/],
        ['?limit=0', /^limit: expected an integer from 1 to 1000/],
        ['?limit=1e3', /^limit: expected an integer/],
        ['?limit=5000', /^limit: expected an integer/],
        ['?limit=1&limit=2', /^limit: expected a single value/],
      ];
      for (const [query, message] of cases) {
        const r = await get('/admin/sessions' + query);
        expect(r.status, query).to.equal(400);
        expect(((await r.json()) as { error: { message: string } }).error.message, query).to.match(message);
      }
    });

    it('answers 500 without details when the store fails, and logs the error', async () => {
      brokenSessions = true;
      const r = await get('/admin/sessions/1');
      expect(r.status).to.equal(500);
      expect(await r.json()).to.deep.equal({ error: { code: 'internal_error', message: 'internal error' } });
      expect(logLines.some((l) => l.includes('disk on fire'))).to.equal(true);
    });
  });

  describe('admin node', () => {
    it('describes the node: id, address, network, peers, channels and memory', async () => {
      const r = await get('/admin/node');
      expect(r.status).to.equal(200);
      expect(await r.json()).to.deep.equal({
        nodeId: fakeNode.nodeId,
        address: fakeNode.address,
        network: 'regtest',
        version: '0.1.0',
        startedAt: T0.toISOString(),
        peerCount: 1,
        channelCount: 0,
        usableChannelCount: 0,
        memory: { wasmBytes: 1 << 26, rssBytes: 1 << 27 },
      });
    });

    it('lists peers and channels', async () => {
      // Bytes (the peer's init features) come out as hex.
      expect(await (await get('/admin/peers')).json()).to.deep.equal({
        peers: [
          { nodeId: CLIENT_A, address: '127.0.0.1:50000', inbound: true, initFeatures: '', supportsLsps0: false },
        ],
      });
      expect(await (await get('/admin/channels')).json()).to.deep.equal({ channels: [] });
    });

    it('answers 503 while the node is not running', async () => {
      nodeRunning = false;
      const r = await get('/admin/node');
      expect(r.status).to.equal(503);
      expect(((await r.json()) as { error: { code: string } }).error.code).to.equal('node_not_started');
    });
  });

  it('answers unknown paths and methods with a JSON 404', async () => {
    const r = await fetch(http.url + '/nope', { method: 'POST' });
    expect(r.status).to.equal(404);
    expect(await r.json()).to.deep.equal({ error: { code: 'not_found', message: 'no route for POST /nope' } });
  });

  it('closes: stops accepting, and a closed server refuses connections', async () => {
    const url = http.url;
    await http.close();
    const err = await fetch(url + '/healthz').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
  });
});
