/**
 * The wallet's admin API over a real socket: a wallet on a SQLite file, funded and followed on SandboxChain
 * (real transactions), withdrawals broadcast to the sandbox.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxChain } from '@jitlsp/engine/chain';
import { RawTx } from '@scure/btc-signer';
import { addressToScript } from '@jitlsp/shared/wallet';
import { Secret } from '../../src/config/secret.js';
import { Database } from '../../src/db/database.js';
import { WalletRepository } from '../../src/db/repositories/wallet.repository.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { ServiceMetrics } from '../../src/metrics/metrics.js';
import { registerWalletMetrics } from '../../src/metrics/wallet-metrics.js';
import { OnChainWallet, WalletSync } from '../../src/wallet/index.js';
import { SEED, deposit, quietLogger } from '../wallet/fixtures.js';
import { T0 } from '../db/fixtures.js';

const TOKEN = 'wallet-admin-token-0123456789';

describe('HTTP: the wallet admin API', () => {
  let dir: string;
  let db: Database;
  let sandbox: SandboxChain;
  let wallet: OnChainWallet;
  let http: RunningHttpServer;
  let logLines: string[];

  const sync = () => new WalletSync(wallet, sandbox, quietLogger()).catchUp();
  const call = (method: 'GET' | 'POST', path: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(http.url + path, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const json = async (r: Response) => (await r.json()) as Record<string, unknown> & { error?: Record<string, string> };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jitlsp-wallet-http-'));
    db = await Database.open({ kind: 'sqlite', path: join(dir, 'db.sqlite') });
    sandbox = await SandboxChain.create({ log: () => undefined });
    wallet = await OnChainWallet.open({
      store: new WalletRepository(db),
      seed: SEED,
      network: 'regtest',
      birthdayHeight: sandbox.height + 1,
      logger: quietLogger(),
    });
    logLines = [];
    const metrics = new ServiceMetrics({ processMetrics: false });
    registerWalletMetrics(metrics.registry, () => wallet.balance());
    const app = createHttpApp({
      metrics,
      health: { nodeStarted: () => true, databaseReachable: () => db.ping() },
      admin: {
        sessions: { get: async () => undefined, listByClient: async () => [], listRecent: async () => [] },
        node: () => undefined,
        info: { network: 'regtest', version: '0.1.0', startedAt: T0 },
      },
      wallet: { wallet: () => wallet, broadcast: (raw) => sandbox.broadcast(raw), defaultFeeRateSatPerVb: () => 2n },
      adminToken: new Secret(TOKEN),
      logger: createLogger({ level: 'trace', sink: (l) => logLines.push(l) }),
    });
    http = await listen(app, { host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    await http.close();
    await db.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Deposits through the API's own address, mined and followed. */
  async function fund(amountSat: bigint): Promise<void> {
    const { address } = (await json(await call('POST', '/admin/wallet/address'))) as { address: string };
    await deposit(sandbox, address, amountSat);
    await sync();
  }

  it('answers 401 without the bearer token, for reads and writes', async () => {
    expect((await call('GET', '/admin/wallet', undefined, null)).status).to.equal(401);
    expect((await call('POST', '/admin/wallet/send', { address: 'x', all: true }, 'wrong')).status).to.equal(401);
  });

  it('hands out a fresh regtest address each time, and shows a deposit to it with amounts as strings', async () => {
    const a = (await json(await call('POST', '/admin/wallet/address'))).address as string;
    const b = (await json(await call('POST', '/admin/wallet/address'))).address as string;
    expect(a).to.match(/^bcrt1q/);
    expect(b).to.not.equal(a);
    await deposit(sandbox, b, 123_456n);
    await sync();
    expect(await json(await call('GET', '/admin/wallet'))).to.deep.equal({
      confirmed_sat: '123456',
      unconfirmed_sat: '0',
      reserved_sat: '0',
      immature_sat: '0',
      utxos: 1,
      tip_height: sandbox.height,
    });
  });

  it('sends an amount: the transaction is in the mempool, the change shows as unconfirmed', async () => {
    await fund(200_000n);
    const to = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
    const r = await call('POST', '/admin/wallet/send', { address: to, amount_sat: '50000', fee_rate_sat_per_vb: '3' });
    expect(r.status).to.equal(200);
    const { txid, fee_sat } = (await r.json()) as { txid: string; fee_sat: string };
    expect(sandbox.confirmations(txid)).to.equal(0);
    const outputs = RawTx.decode(sandbox.getTransaction(txid)!).outputs;
    const paid = outputs.find((o) => Buffer.from(o.script).equals(Buffer.from(addressToScript(to, 'regtest'))));
    expect(paid?.amount).to.equal(50_000n);
    expect(await json(await call('GET', '/admin/wallet'))).to.include({
      confirmed_sat: '0',
      unconfirmed_sat: String(200_000n - 50_000n - BigInt(fee_sat)),
    });
  });

  it('withdraws all in one output at the default fee rate, leaving nothing', async () => {
    await fund(90_000n);
    await fund(10_000n);
    const to = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
    const r = await call('POST', '/admin/wallet/send', { address: to, all: true });
    expect(r.status).to.equal(200);
    const { txid, fee_sat } = (await r.json()) as { txid: string; fee_sat: string };
    const tx = RawTx.decode(sandbox.getTransaction(txid)!);
    expect(tx.outputs).to.have.length(1);
    expect(tx.outputs[0].amount + BigInt(fee_sat)).to.equal(100_000n);
    await sandbox.mine(1);
    await sync();
    expect(await json(await call('GET', '/admin/wallet'))).to.include({
      confirmed_sat: '0',
      unconfirmed_sat: '0',
      utxos: 0,
    });
  });

  it('refuses more than spendable with 400 and the spendable amount, sending nothing', async () => {
    await fund(40_000n);
    const r = await call('POST', '/admin/wallet/send', {
      address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
      amount_sat: '40001',
    });
    expect(r.status).to.equal(400);
    const { error } = await json(r);
    expect(error).to.include({ code: 'insufficient_funds', field: 'amount_sat', spendable_sat: '40000' });
    expect((await json(await call('GET', '/admin/wallet'))).confirmed_sat).to.equal('40000');
  });

  const invalid: [string, unknown, string][] = [
    ['a mainnet address', { address: 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu', amount_sat: '1000' }, 'address'],
    ['a testnet address', { address: 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', amount_sat: '1000' }, 'address'],
    ['a malformed address', { address: 'bcrt1qnotanaddress', amount_sat: '1000' }, 'address'],
    ['no address', { amount_sat: '1000' }, 'address'],
    [
      'an amount as a number',
      { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', amount_sat: 1000 },
      'amount_sat',
    ],
    ['a negative amount', { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', amount_sat: '-5' }, 'amount_sat'],
    ['no amount and no all', { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080' }, 'amount_sat'],
    ['all: false', { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', all: false }, 'all'],
    [
      'an unknown field',
      { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', all: true, subtract: 1 },
      'subtract',
    ],
    [
      'a fee rate of 0',
      { address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', all: true, fee_rate_sat_per_vb: '0' },
      'fee_rate_sat_per_vb',
    ],
    ['a JSON array', [], 'body'],
  ];
  for (const [what, body, field] of invalid) {
    it(`answers 400 naming ${field} for ${what}`, async () => {
      await fund(40_000n);
      const r = await call('POST', '/admin/wallet/send', body);
      expect(r.status).to.equal(400);
      expect((await json(r)).error).to.include({ field });
      expect((await json(await call('GET', '/admin/wallet'))).confirmed_sat).to.equal('40000');
    });
  }

  it('answers 400 to malformed JSON', async () => {
    const r = await call('POST', '/admin/wallet/send', '{"address":');
    expect(r.status).to.equal(400);
  });

  it('logs every write with what was asked and what was done, never the token', async () => {
    await fund(60_000n);
    const to = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
    const { txid } = (await json(await call('POST', '/admin/wallet/send', { address: to, amount_sat: '1000' }))) as {
      txid: string;
    };
    await call('POST', '/admin/wallet/send', { address: to, amount_sat: '999999999' });
    const lines = logLines.map((l) => JSON.parse(l) as Record<string, any>);
    const address = lines.find((l) => l.msg === 'admin: new wallet address');
    expect(address?.done.address).to.match(/^bcrt1q/);
    const sent = lines.find((l) => l.msg === 'admin: wallet send');
    expect(sent?.asked).to.include({ address: to, amount_sat: '1000' });
    expect(sent?.done).to.include({ txid, fee_rate_sat_per_vb: '2' });
    const refused = lines.find((l) => l.msg === 'admin: wallet send refused');
    expect(refused?.asked).to.include({ amount_sat: '999999999' });
    expect(refused?.done).to.equal('nothing');
    expect(logLines.join('\n')).to.not.include(TOKEN);
  });

  it('exports the balance by state and the UTXO count as metrics', async () => {
    await fund(70_000n);
    const body = await (await fetch(http.url + '/metrics')).text();
    expect(body).to.include('jitlsp_wallet_balance_sat{state="confirmed"} 70000');
    expect(body).to.include('jitlsp_wallet_balance_sat{state="reserved"} 0');
    expect(body).to.include('jitlsp_wallet_utxos 1');
  });
});
