import { expect } from 'chai';
import { fromHex } from '@jitlsp/shared/crypto';
import { parseDatetime } from '@jitlsp/shared/lsps0';
import { parseOpeningFeeParams, verifyPromise } from '@jitlsp/shared/lsps2';
import { orderMenu } from '../../src/lsps2/menu.js';
import { MemorySessionStore } from '../../src/lsps2/memory-store.js';
import { NOW, PEER_A, PEER_B, SECRET, TIERS, makeServer, req } from '../lsps0/harness.js';

async function menuFor(h: ReturnType<typeof makeServer>, peer = PEER_A, params: unknown = {}) {
  const r = await h.call(peer, req('lsps2.get_info', params));
  return r.result.opening_fee_params_menu as Record<string, unknown>[];
}

function buy(params: Record<string, unknown>, size?: string) {
  return req(
    'lsps2.buy',
    size === undefined ? { opening_fee_params: params } : { opening_fee_params: params, payment_size_msat: size },
    'buy1',
  );
}

describe('lsps2.get_info (bLIP-52 §1)', () => {
  it('offers one entry per tier with exactly the 8 fields, valid_until = now + validity, in spec order', async () => {
    const menu = await menuFor(makeServer());
    expect(menu).to.have.length(2);
    for (const e of menu) {
      expect(Object.keys(e)).to.deep.equal([
        'min_fee_msat',
        'proportional',
        'valid_until',
        'min_lifetime',
        'max_client_to_self_delay',
        'min_payment_size_msat',
        'max_payment_size_msat',
        'promise',
      ]);
    }
    expect(menu[0]).to.deep.include({
      min_fee_msat: '546000',
      proportional: 1200,
      valid_until: '2026-01-01T01:00:00.000Z',
      min_payment_size_msat: '1000',
    });
    expect(menu[1]).to.deep.include({
      min_fee_msat: '1092000',
      proportional: 2400,
      valid_until: '2026-01-01T02:00:00.000Z',
    });
  });

  it('binds each promise to the asking client: it verifies for that client only', async () => {
    const [e] = await menuFor(makeServer());
    const p = parseOpeningFeeParams(e, 'e');
    expect(verifyPromise(SECRET, fromHex(PEER_A), p)).to.equal(true);
    expect(verifyPromise(SECRET, fromHex(PEER_B), p)).to.equal(false);
    expect(p.promise).to.match(/^[0-9a-f]{64}$/);
  });

  it('orders configured tiers by fee and refuses a menu that cannot be strictly increasing', () => {
    expect(orderMenu([TIERS[1]!, TIERS[0]!]).map((t) => t.minFeeMsat)).to.deep.equal([546_000n, 1_092_000n]);
    expect(() => orderMenu([TIERS[0]!, { ...TIERS[1]!, proportionalPpm: 100 }])).to.throw(/lsps2 menu/);
    expect(() => orderMenu([TIERS[0]!, TIERS[0]!])).to.throw(/lsps2 menu/);
  });

  it('ignores any token when no token policy is configured', async () => {
    expect(await menuFor(makeServer(), PEER_A, { token: 'whatever' })).to.have.length(2);
  });

  it('answers 200 unrecognized_or_stale_token for a token outside the configured set', async () => {
    const h = makeServer({ tokens: ['SECRETDISCOUNTCOUPON100'] });
    const r = await h.call(PEER_A, req('lsps2.get_info', { token: 'nope' }, 't'));
    expect(r).to.deep.equal({ jsonrpc: '2.0', id: 't', error: { code: 200, message: 'unrecognized_or_stale_token' } });
    expect(await menuFor(h, PEER_A, { token: 'SECRETDISCOUNTCOUPON100' })).to.have.length(2);
  });

  it('offers an empty menu to a client without a token when tokens are required', async () => {
    expect(await menuFor(makeServer({ tokens: ['t'] }))).to.deep.equal([]);
  });

  it('answers a non-string token with -32602 and an unknown param with data.unrecognized', async () => {
    const h = makeServer();
    expect((await h.call(PEER_A, req('lsps2.get_info', { token: 5 }))).error.code).to.equal(-32602);
    const r = await h.call(PEER_A, req('lsps2.get_info', { token: 'a', version: 1 }));
    expect(r.error.data).to.deep.equal({ unrecognized: ['version'] });
  });
});

describe('lsps2.buy (bLIP-52 §2)', () => {
  it('sells a JIT channel in MPP mode: persists the session, then answers scid, delta and trust model', async () => {
    const h = makeServer();
    const [e] = await menuFor(h);
    const r = await h.call(PEER_A, buy(e!, '100000000'));
    expect(r).to.deep.equal({
      jsonrpc: '2.0',
      id: 'buy1',
      result: { jit_channel_scid: '1x1237x1', lsp_cltv_expiry_delta: 144, client_trusts_lsp: false },
    });
    const s = await h.store.get(1099592695809n);
    expect(s!.terms).to.deep.include({
      clientNodeId: PEER_A,
      paymentSizeMsat: 100_000_000n,
      openingFeeMsat: 546_000n,
      lspCltvExpiryDelta: 144,
    });
    // 120 random bits (the harness's randomness is 0xab bytes) as the channel's user_channel_id.
    expect(s!.terms.userChannelId).to.equal(BigInt('0x' + 'ab'.repeat(15)));
    expect(s!.terms.feeParams.validUntil).to.deep.equal(new Date('2026-01-01T01:00:00.000Z'));
    expect(s!.state.kind).to.equal('awaitingPayment');
  });

  it('sells a no-MPP session when payment_size_msat is omitted (fee decided by the first HTLC)', async () => {
    const h = makeServer({ clientTrustsLsp: true });
    const [e] = await menuFor(h);
    const r = await h.call(PEER_A, buy(e!));
    expect(r.result.client_trusts_lsp).to.equal(true);
    const s = await h.store.get(1099592695809n);
    expect(s!.terms).to.deep.include({ paymentSizeMsat: null, openingFeeMsat: null, clientTrustsLsp: true });
  });

  it('does not answer before the session is durable, and answers -32603 if persisting fails', async () => {
    const store = new MemorySessionStore();
    let release!: () => void;
    const slow = Object.assign(Object.create(store), {
      create: (s: any) => new Promise<void>((res) => (release = () => res(store.create(s)))),
      listByClient: (p: string) => store.listByClient(p),
    });
    const h = makeServer({ store: slow });
    const [e] = await menuFor(h);
    const pending = h.server.handleMessage(PEER_A, JSON.stringify(buy(e!, '100000000')));
    await new Promise((r) => setImmediate(r));
    expect(h.sent).to.have.length(1); // only the get_info answer
    release();
    await pending;
    expect(h.sent.at(-1)!.json.result.jit_channel_scid).to.be.a('string');

    const failing = makeServer({
      store: Object.assign(Object.create(store), {
        create: async () => Promise.reject(new Error('disk full')),
        listByClient: async () => [],
      }),
    });
    const [e2] = await menuFor(failing);
    expect((await failing.call(PEER_A, buy(e2!, '100000000'))).error).to.deep.equal({
      code: -32603,
      message: 'Internal error',
    });
  });

  it('answers 201 for params promised to another client', async () => {
    const h = makeServer();
    const [e] = await menuFor(h, PEER_B);
    expect((await h.call(PEER_A, buy(e!, '100000000'))).error).to.deep.equal({
      code: 201,
      message: 'invalid_opening_fee_params',
    });
  });

  for (const [field, value] of [
    ['min_fee_msat', '1'],
    ['proportional', 1],
    ['valid_until', '2026-01-01T05:00:00.000Z'],
    ['min_lifetime', 1],
    ['max_client_to_self_delay', 4032],
    ['min_payment_size_msat', '1'],
    ['max_payment_size_msat', '2000000000'],
    ['promise', 'x'.repeat(64)],
  ] as const) {
    it(`answers 201 when the client changed ${field}`, async () => {
      const h = makeServer();
      const [e] = await menuFor(h);
      expect((await h.call(PEER_A, buy({ ...e!, [field]: value }, '100000000'))).error.code).to.equal(201);
    });
  }

  it('answers 201 for an extra field in opening_fee_params', async () => {
    const h = makeServer();
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, buy({ ...e!, extra: 1 }, '100000000'))).error.code).to.equal(201);
  });

  it('answers 201 once valid_until has passed (and accepts it the millisecond before)', async () => {
    const h = makeServer();
    const [e] = await menuFor(h);
    h.setClock(new Date(parseDatetime(e!.valid_until, 'v').epochMs - 1));
    expect((await h.call(PEER_A, buy(e!, '100000000'))).result).to.be.an('object');
    h.setClock(new Date(parseDatetime(e!.valid_until, 'v').epochMs));
    expect((await h.call(PEER_A, buy(e!, '100000000'))).error.code).to.equal(201);
  });

  it('answers 202 for the spec example buy (fee 546000 >= payment_size 42000)', async () => {
    const h = makeServer();
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, buy(e!, '42000'))).error).to.deep.equal({
      code: 202,
      message: 'payment_size_too_small',
    });
    // fee == size is refused too (fee MUST be strictly less).
    expect((await h.call(PEER_A, buy(e!, '546000'))).error.code).to.equal(202);
    expect((await h.call(PEER_A, buy(e!, '546001'))).result).to.be.an('object');
  });

  it('answers 202 below min_payment_size_msat and 203 above max_payment_size_msat', async () => {
    const h = makeServer();
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, buy(e!, '999'))).error.code).to.equal(202);
    expect((await h.call(PEER_A, buy(e!, '1000000001'))).error.code).to.equal(203);
  });

  it('answers 203 when the fee computation overflows u64', async () => {
    const h = makeServer({ tiers: [{ ...TIERS[0]!, proportionalPpm: 2, maxPaymentSizeMsat: (1n << 64n) - 1n }] });
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, buy(e!, String((1n << 64n) - 1_000_000n)))).error).to.deep.equal({
      code: 203,
      message: 'payment_size_too_large',
    });
  });

  it('answers 203 when the LSP lacks inbound liquidity for the size', async () => {
    const h = makeServer({ maxReceivableMsat: () => 50_000_000n });
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, buy(e!, '60000000'))).error.code).to.equal(203);
    expect((await h.call(PEER_A, buy(e!, '50000000'))).result).to.be.an('object');
  });

  it('answers client_rejected beyond the per-peer session limit', async () => {
    const h = makeServer({ maxSessionsPerPeer: 2 });
    const [e] = await menuFor(h);
    await h.call(PEER_A, buy(e!, '100000000'));
    await h.call(PEER_A, buy(e!, '100000000'));
    const r = await h.call(PEER_A, buy(e!, '100000000'));
    expect(r.error).to.deep.equal({
      code: 1,
      message: 'Client rejected',
      data: { message: 'Too many open JIT channel requests' },
    });
  });

  it('enforces the per-peer session limit with a store that lacks countLiveByClient', async () => {
    const mem = new MemorySessionStore();
    const plain = {
      create: mem.create.bind(mem),
      update: mem.update.bind(mem),
      get: mem.get.bind(mem),
      listByClient: mem.listByClient.bind(mem),
      listOpen: mem.listOpen.bind(mem),
      reserveFundingHash: mem.reserveFundingHash.bind(mem),
      releaseFundingHash: mem.releaseFundingHash.bind(mem),
      pruneClosedBefore: mem.pruneClosedBefore.bind(mem),
    };
    const h = makeServer({ store: plain, maxSessionsPerPeer: 1 });
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, buy(e!, '100000000'))).result).to.be.an('object');
    expect((await h.call(PEER_A, buy(e!, '100000000'))).error.code).to.equal(1);
  });

  it('counts buys still being persisted against the per-peer limit: concurrent buys cannot pass it together', async () => {
    const h = makeServer({ maxSessionsPerPeer: 2 });
    const [e] = await menuFor(h);
    const before = h.sent.length;
    await Promise.all(
      [1, 2, 3].map((i) => h.server.handleMessage(PEER_A, JSON.stringify({ ...buy(e!, '100000000'), id: `c${i}` }))),
    );
    const answers = h.sent.slice(before).map((s) => s.json);
    expect(answers.filter((a) => a.result).length).to.equal(2);
    expect(answers.filter((a) => a.error?.code === 1).length).to.equal(1);
    expect(await h.store.listByClient(PEER_A)).to.have.length(2);
  });

  it('takes the live-session count from memory when given one, without asking the store', async () => {
    const store = new MemorySessionStore();
    store.countLiveByClient = () => Promise.reject(new Error('the store must not be asked'));
    const h = makeServer({ store, maxSessionsPerPeer: 3, liveSessions: (peer) => (peer === PEER_A ? 3 : 0) });
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, buy(e!, '100000000'))).error.code).to.equal(1);
    const [eb] = await menuFor(h, PEER_B);
    expect((await h.call(PEER_B, buy(eb!, '100000000'))).result).to.be.an('object');
  });

  it('answers -32602 for unknown params, a missing opening_fee_params or a malformed payment_size_msat', async () => {
    const h = makeServer();
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, req('lsps2.buy', { opening_fee_params: e, x: 1 }))).error.data).to.deep.equal({
      unrecognized: ['x'],
    });
    expect((await h.call(PEER_A, req('lsps2.buy', {}))).error.code).to.equal(-32602);
    for (const size of [100000000, '-1', '01', '1e9', '18446744073709551616']) {
      expect((await h.call(PEER_A, buy(e!, size as string))).error.code, String(size)).to.equal(-32602);
    }
  });

  it('draws another SCID when the node hands out one a stored session already holds', async () => {
    const scids = [7n, 7n, 7n, 8n];
    const h = makeServer({ node: { getInterceptScid: () => scids.shift()! } });
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, buy(e!, '100000000'))).result.jit_channel_scid).to.equal('0x0x7');
    expect((await h.call(PEER_A, buy(e!, '100000000'))).result.jit_channel_scid).to.equal('0x0x8');
    expect((await h.store.get(8n))!.terms.clientNodeId).to.equal(PEER_A);
  });

  it('answers -32603 when every SCID drawn for a buy is taken', async () => {
    const h = makeServer({ node: { getInterceptScid: () => 7n } });
    const [e] = await menuFor(h);
    expect((await h.call(PEER_A, buy(e!, '100000000'))).result.jit_channel_scid).to.equal('0x0x7');
    expect((await h.call(PEER_A, buy(e!, '100000000'))).error).to.deep.equal({
      code: -32603,
      message: 'Internal error',
    });
  });

  it('hands out a distinct SCID per buy', async () => {
    const h = makeServer();
    const [e] = await menuFor(h);
    const a = await h.call(PEER_A, buy(e!, '100000000'));
    const b = await h.call(PEER_A, buy(e!, '100000000'));
    expect(a.result.jit_channel_scid).to.not.equal(b.result.jit_channel_scid);
    expect(NOW).to.be.instanceOf(Date);
  });
});
