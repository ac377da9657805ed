/**
 * The daemon core in-process with real components: a SQLite file, a real LDK node listening on TCP, real
 * HTTP; a second real LDK node acts as the client and speaks LSPS0 over BOLT 8 custom messages.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxChain } from '@jitlsp/engine/chain';
import { LightningNode, LSPS0_MESSAGE_TYPE } from '@jitlsp/engine/node';
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
      dir,
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
      const info = (await (
        await fetch(daemon.http.url + '/admin/node', { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()) as {
        nodeId: string;
        address: string;
      };
      expect(info.nodeId).to.equal(daemon.node.nodeId);
      expect(info.address).to.equal(daemon.nodeAddress);

      client = await LightningNode.start({
        dataDir: join(dir, 'client'),
        chain,
        logger: { log: () => {} },
        name: 'client',
      });
      await client.connect(daemon.nodeAddress!);
      // bLIP-50: the LSP advertises LSPS0 with feature bit 729; the client does not.
      expect(client.listPeers().find((p) => p.nodeId === daemon.node.nodeId)!.supportsLsps0).to.equal(true);
      expect(daemon.node.listPeers().find((p) => p.nodeId === client!.nodeId)!.supportsLsps0).to.equal(false);

      // 1. lsps0.list_protocols -> [2]
      let answer = client.waitFor('customMessageReceived', (e) => e.messageType === LSPS0_MESSAGE_TYPE, 20_000);
      client.sendCustomMessage(
        daemon.node.nodeId,
        new TextEncoder().encode('{"jsonrpc":"2.0","id":"a1","method":"lsps0.list_protocols","params":{}}'),
      );
      expect(JSON.parse(new TextDecoder().decode((await answer).payload))).to.deep.equal({
        jsonrpc: '2.0',
        id: 'a1',
        result: { protocols: [2, 5] },
      });

      // 2. lsps2.get_info -> the configured menu, counted as ok
      answer = client.waitFor('customMessageReceived', (e) => e.messageType === LSPS0_MESSAGE_TYPE, 20_000);
      client.sendCustomMessage(
        daemon.node.nodeId,
        new TextEncoder().encode('{"jsonrpc":"2.0","id":"a2","method":"lsps2.get_info","params":{}}'),
      );
      const menu = JSON.parse(new TextDecoder().decode((await answer).payload)) as {
        result: { opening_fee_params_menu: { min_fee_msat: string }[] };
      };
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
      const daemon = await Daemon.start({
        config: cfg,
        chain,
        logger: quiet,
        tickIntervalMs: 0,
        database: site.extras,
      });
      try {
        expect(daemon.db.dialect).to.equal('postgres');
        expect(await (await fetch(daemon.http.url + '/readyz')).json()).to.deep.equal({
          status: 'ready',
          checks: { node: true, database: true },
        });
        await daemon.sessions.create(makeSession({ terms: { jitChannelScid: 77n } }));
        const r = await fetch(daemon.http.url + '/admin/sessions/77', {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(((await r.json()) as { session: { jitChannelScidU64: string } }).session.jitChannelScidU64).to.equal(
          '77',
        );
      } finally {
        await daemon.stop();
        await site.destroy();
      }
    },
  );

  it('sells a JIT channel over LSPS0 and still knows it after a restart, honouring the old menu (promise secret kept)', async () => {
    const client = await LightningNode.start({
      dataDir: join(dir, 'client'),
      chain,
      logger: { log: () => {} },
      name: 'client',
    });
    const ask = async (lsp: Daemon, id: string, method: string, params: unknown) => {
      const answer = client.waitFor('customMessageReceived', (e) => e.messageType === LSPS0_MESSAGE_TYPE, 20_000);
      client.sendCustomMessage(
        lsp.node.nodeId,
        new TextEncoder().encode(JSON.stringify({ jsonrpc: '2.0', id, method, params })),
      );
      return JSON.parse(new TextDecoder().decode((await answer).payload)) as {
        result: Record<string, any>;
        error?: unknown;
      };
    };
    try {
      const a = await Daemon.start({ config: config(), chain, logger: quiet, tickIntervalMs: 0 });
      let scid: string;
      let menu: unknown[];
      try {
        await client.connect(a.nodeAddress!);
        menu = (await ask(a, 'g1', 'lsps2.get_info', {})).result.opening_fee_params_menu;
        const bought = (await ask(a, 'b1', 'lsps2.buy', { opening_fee_params: menu[0], payment_size_msat: '50000000' }))
          .result;
        scid = bought.jit_channel_scid as string;
        expect(scid).to.match(/^\d+x\d+x\d+$/);
        const metrics = await (await fetch(a.http.url + '/metrics')).text();
        expect(sample(metrics, 'jitlsp_lsps2_buy_requests_total{result="ok"}')).to.equal(1);
        expect(sample(metrics, 'jitlsp_lsps2_sessions{state="awaitingPayment"}')).to.equal(1);
      } finally {
        await a.stop();
      }
      const b = await Daemon.start({ config: config(), chain, logger: quiet, tickIntervalMs: 0 });
      try {
        expect(b.node.nodeId).to.equal(a.node.nodeId);
        const r = await fetch(b.http.url + '/admin/sessions/' + scid, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const { session } = (await r.json()) as {
          session: { clientNodeId: string; mode: string; state: { kind: string } };
        };
        expect(session).to.deep.include({ clientNodeId: client.nodeId, mode: 'mpp' });
        expect(session.state.kind).to.equal('awaitingPayment');
        // The shell re-registered the client from the database: the JIT SCID resolves to it (bLIP-52 alias).
        const u64 = b.jit.index.openScids()[0]!;
        expect(b.jit.index.nodeIdLookup(u64)).to.equal(client.nodeId);
        // A menu minted before the restart still verifies: the promise secret was kept in the data dir.
        await client.connect(b.nodeAddress!);
        const again = await ask(b, 'b2', 'lsps2.buy', { opening_fee_params: menu[1], payment_size_msat: '60000000' });
        expect(again.error).to.equal(undefined);
        expect(again.result.jit_channel_scid).to.not.equal(scid);
      } finally {
        await b.stop();
      }
    } finally {
      await client.stop();
    }
  });

  it('refuses to start with EADDRINUSE when its HTTP port is taken, undoing what it had started', async () => {
    const a = await Daemon.start({ config: config(), chain, logger: quiet, tickIntervalMs: 0 });
    try {
      const clash = {
        ...config(),
        dataDir: join(dir, 'other'),
        database: { kind: 'sqlite' as const, path: join(dir, 'other.sqlite') },
        http: { host: '127.0.0.1', port: a.http.port },
      };
      const err = await Daemon.start({ config: clash, chain, logger: quiet, tickIntervalMs: 0 }).catch(
        (e: unknown) => e,
      );
      expect((err as NodeJS.ErrnoException).code).to.equal('EADDRINUSE');
    } finally {
      await a.stop();
    }
  });
});
