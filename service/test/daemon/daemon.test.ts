/**
 * The daemon core in-process with real components: a SQLite file, a real LDK node listening on TCP, real
 * HTTP; a second real LDK node acts as the client and speaks LSPS0 over BOLT 8 custom messages.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxChain } from '@jitlsp/shared/chain';
import { LightningNode, LSPS0_MESSAGE_TYPE } from '@jitlsp/shared/node';
import { loadConfig } from '../../src/config/config.js';
import { Daemon } from '../../src/daemon.js';
import { createLogger } from '../../src/log.js';
import { makeSession } from '../db/fixtures.js';
import { databaseSiteFactories } from '../db/targets.js';

const TOKEN = 'daemon-test-admin-token-0123';
const postgres = (await databaseSiteFactories()).find((f) => f.name === 'postgres')!;
const quiet = createLogger({ level: 'silent' });

function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('daemon core (in-process, real LDK nodes over TCP)', function () {
  this.timeout(60_000);
  let dir: string;
  let chain: SandboxChain;
  const config = () =>
    loadConfig(
      {
        JITLSP_DATA_DIR: join(dir, 'lsp'),
        JITLSP_HTTP_PORT: '0',
        JITLSP_P2P_PORT: '0',
        JITLSP_ADMIN_TOKEN: TOKEN,
        JITLSP_FEE_TIERS: '546000:1200,1092000:2400',
      },
      dir
    );

  before(async () => {
    chain = await SandboxChain.create({ log: () => {} });
  });
  after(async () => {
    await chain.close();
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jitlsp-daemon-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts ready, answers LSPS0 over custom messages, counts it, and stops in order', async () => {
    const daemon = await Daemon.start({ config: config(), chain, logger: quiet, tickIntervalMs: 0 });
    let client: LightningNode | undefined;
    try {
      const ready = await fetch(daemon.http.url + '/readyz');
      expect(ready.status).to.equal(200);
      const info = (await (await fetch(daemon.http.url + '/admin/node', { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
        nodeId: string;
        address: string;
      };
      expect(info.nodeId).to.equal(daemon.node.nodeId);
      expect(info.address).to.equal(daemon.nodeAddress);

      client = await LightningNode.start({ dataDir: join(dir, 'client'), chain, logger: { log: () => {} }, name: 'client' });
      await client.connect(daemon.nodeAddress!);

      // 1. lsps0.list_protocols -> [2]
      let answer = client.waitFor('customMessageReceived', (e) => e.messageType === LSPS0_MESSAGE_TYPE, 20_000);
      client.sendCustomMessage(daemon.node.nodeId, new TextEncoder().encode('{"jsonrpc":"2.0","id":"a1","method":"lsps0.list_protocols","params":{}}'));
      expect(JSON.parse(new TextDecoder().decode((await answer).payload))).to.deep.equal({ jsonrpc: '2.0', id: 'a1', result: { protocols: [2] } });

      // 2. lsps2.get_info -> the configured menu, counted as ok
      answer = client.waitFor('customMessageReceived', (e) => e.messageType === LSPS0_MESSAGE_TYPE, 20_000);
      client.sendCustomMessage(daemon.node.nodeId, new TextEncoder().encode('{"jsonrpc":"2.0","id":"a2","method":"lsps2.get_info","params":{}}'));
      const menu = JSON.parse(new TextDecoder().decode((await answer).payload)) as { result: { opening_fee_params_menu: { min_fee_msat: string }[] } };
      expect(menu.result.opening_fee_params_menu.map((p) => p.min_fee_msat)).to.deep.equal(['546000', '1092000']);

      const metrics = await (await fetch(daemon.http.url + '/metrics')).text();
      expect(sample(metrics, 'jitlsp_lsps2_get_info_requests_total{result="ok"}')).to.equal(1);
      expect(sample(metrics, 'jitlsp_node_peers')).to.equal(1);
      expect(sample(metrics, 'jitlsp_node_wasm_memory_bytes')).to.be.above(0);
    } finally {
      await client?.stop();
      const url = daemon.http.url;
      const first = daemon.stop();
      expect(daemon.stop()).to.equal(first);
      await first;
      expect(daemon.db.isOpen).to.equal(false);
      expect(await fetch(url + '/healthz').catch((e: unknown) => e)).to.be.instanceOf(Error);
    }
  });

  (postgres.skipReason ? it.skip : it)(
    'runs on Postgres when DATABASE_URL is postgres://, persisting through the same repositories' +
      (postgres.skipReason ? ` (skipped: ${postgres.skipReason})` : ''),
    async () => {
      const site = await postgres.create();
      const cfg = { ...config(), database: site.target };
      const daemon = await Daemon.start({ config: cfg, chain, logger: quiet, tickIntervalMs: 0, database: site.extras });
      try {
        expect(daemon.db.dialect).to.equal('postgres');
        expect(await (await fetch(daemon.http.url + '/readyz')).json()).to.deep.equal({ status: 'ready', checks: { node: true, database: true } });
        await daemon.sessions.create(makeSession({ terms: { jitChannelScid: 77n } }));
        const r = await fetch(daemon.http.url + '/admin/sessions/77', { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(((await r.json()) as { session: { jitChannelScidU64: string } }).session.jitChannelScidU64).to.equal('77');
      } finally {
        await daemon.stop();
        await site.destroy();
      }
    }
  );

  it('keeps its promise secret and node identity across a restart on the same data dir', async () => {
    const a = await Daemon.start({ config: config(), chain, logger: quiet, tickIntervalMs: 0 });
    const nodeId = a.node.nodeId;
    await a.stop();
    const b = await Daemon.start({ config: config(), chain, logger: quiet, tickIntervalMs: 0 });
    try {
      expect(b.node.nodeId).to.equal(nodeId);
      expect((await fetch(b.http.url + '/readyz')).status).to.equal(200);
    } finally {
      await b.stop();
    }
  });

  it('refuses to start with EADDRINUSE when its HTTP port is taken, undoing what it had started', async () => {
    const a = await Daemon.start({ config: config(), chain, logger: quiet, tickIntervalMs: 0 });
    try {
      const clash = { ...config(), dataDir: join(dir, 'other'), database: { kind: 'sqlite' as const, path: join(dir, 'other.sqlite') }, http: { host: '127.0.0.1', port: a.http.port } };
      const err = await Daemon.start({ config: clash, chain, logger: quiet, tickIntervalMs: 0 }).catch((e: unknown) => e);
      expect((err as NodeJS.ErrnoException).code).to.equal('EADDRINUSE');
    } finally {
      await a.stop();
    }
  });
});
