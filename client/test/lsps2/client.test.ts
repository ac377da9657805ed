import { expect } from 'chai';
import { Lsps2Client, Lsps2ClientError } from '../../src/lsps2/index.js';
import {
  countingRandom,
  FakeLsp,
  flush,
  ManualTimers,
  type ScriptAnswer,
  type SeenRequest,
} from '../helpers/fake-lsp.js';
import { LSP_ID, makeMenu, makeParams, NOW } from './fixtures.js';

function setup(script: (req: SeenRequest) => ScriptAnswer | ScriptAnswer[], feeLimits = {}) {
  const lsp = new FakeLsp(LSP_ID, script);
  const timers = new ManualTimers();
  const client = new Lsps2Client({
    lsp: LSP_ID,
    transport: lsp.transport,
    random: countingRandom(),
    clock: () => NOW,
    timers,
    requestTimeoutMs: 5000,
    feeLimits,
  });
  return { lsp, timers, client };
}

async function rejection(p: Promise<unknown>): Promise<Lsps2ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Lsps2ClientError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const menuScript =
  (...entries: Record<string, unknown>[]) =>
  (): ScriptAnswer => ({ result: makeMenu(...entries) });

describe('Lsps2Client', () => {
  describe('LSPS0 transport rules', () => {
    it('lists the LSP protocols with lsps0.list_protocols', async () => {
      const { client, lsp } = setup(() => ({ result: { protocols: [1, 2], extra: 'ignored' } }));
      expect(await client.listProtocols()).to.deep.equal([1, 2]);
      expect(lsp.seen[0]!.method).to.equal('lsps0.list_protocols');
      expect(lsp.seen[0]!.params).to.deep.equal({});
    });

    it('uses a fresh 128-bit id from the injected randomness for every request', async () => {
      const { client, lsp } = setup(() => ({ result: { protocols: [2] } }));
      await client.listProtocols();
      await client.listProtocols();
      const [a, b] = lsp.seen.map((s) => s.id);
      expect(a).to.match(/^[0-9a-f]{32}$/);
      expect(b).to.match(/^[0-9a-f]{32}$/);
      expect(a).to.not.equal(b);
    });

    it('ignores responses with unknown ids and responses from other peers, then takes the matching one', async () => {
      const { client, lsp } = setup((req) => [
        { raw: JSON.stringify({ jsonrpc: '2.0', id: 'ffff', result: { protocols: [9] } }) },
        {
          raw: JSON.stringify({ jsonrpc: '2.0', id: req.id, error: { code: 1, message: 'wrong id' } }).replace(
            req.id,
            'eeee',
          ),
        },
        { result: { protocols: [2] } },
      ]);
      const p = client.listProtocols();
      lsp.deliver(
        '03' + '22'.repeat(32),
        JSON.stringify({ jsonrpc: '2.0', id: lsp.seen[0]!.id, result: { protocols: [7] } }),
      );
      expect(await p).to.deep.equal([2]);
    });

    it('ignores a malformed payload and keeps waiting for the real answer', async () => {
      const { client } = setup(() => [{ raw: '{"jsonrpc":"2.0",' }, { raw: '[1,2]' }, { result: { protocols: [2] } }]);
      expect(await client.listProtocols()).to.deep.equal([2]);
    });

    it('fails a request the LSP never answers when its deadline passes', async () => {
      const { client, timers } = setup(() => 'silent');
      const p = client.getInfo();
      await flush();
      expect(client.pendingCount).to.equal(1);
      timers.fireAll();
      const e = await rejection(p);
      expect(e.kind).to.equal('timeout');
      expect(client.pendingCount).to.equal(0);
    });

    it('clears the deadline once the answer arrives', async () => {
      const { client, timers } = setup(() => ({ result: { protocols: [2] } }));
      await client.listProtocols();
      expect(timers.count).to.equal(0);
    });

    it('sanitises and bounds the LSP error message before it can be displayed, keeping the code', async () => {
      const nasty = 'bad token\n\u0000<script>alert(1)</script>\u001b[31m' + 'x'.repeat(1000);
      const { client } = setup(() => ({ error: { code: 200, message: nasty } }));
      const e = await rejection(client.getInfo('coupon'));
      expect(e.kind).to.equal('lsp-error');
      expect(e.code).to.equal(200);
      expect(e.displayMessage).to.contain('unrecognized_or_stale_token');
      expect(e.displayMessage).to.not.match(/[\u0000-\u001f<>]/);
      expect(e.displayMessage.length).to.be.lessThan(300);
    });

    it('reports a send failure when the LSP is not connected', async () => {
      const { client, lsp } = setup(() => 'silent');
      lsp.connected = false;
      expect((await rejection(client.getInfo())).kind).to.equal('send-failed');
      expect(client.pendingCount).to.equal(0);
    });

    it('fails pending requests when closed', async () => {
      const { client } = setup(() => 'silent');
      const p = client.listProtocols();
      client.close();
      expect((await rejection(p)).kind).to.equal('closed');
    });
  });

  describe('lsps2.get_info', () => {
    it('sends the token by name and returns the parsed menu', async () => {
      const { client, lsp } = setup(
        menuScript(makeParams(), makeParams({ min_fee_msat: '1092000', proportional: 2400 })),
      );
      const menu = await client.getInfo('SECRETDISCOUNTCOUPON100');
      expect(lsp.seen[0]!.params).to.deep.equal({ token: 'SECRETDISCOUNTCOUPON100' });
      expect(menu.map((p) => [p.minFeeMsat, p.proportional])).to.deep.equal([
        [546000n, 1200],
        [1092000n, 2400],
      ]);
    });

    it('aborts when an opening_fee_params has an unrecognised field', async () => {
      const { client } = setup(menuScript(makeParams({ extension_fee: '1' })));
      const e = await rejection(client.getInfo());
      expect(e.kind).to.equal('invalid-response');
      expect(e.displayMessage).to.match(/unrecognised field "extension_fee"/);
    });

    it('aborts when a promise is over 512 bytes and accepts one of exactly 512', async () => {
      const long = setup(menuScript(makeParams({ promise: 'p'.repeat(513) })));
      expect((await rejection(long.client.getInfo())).displayMessage).to.match(
        /promise: expected at most 512 bytes, got 513/,
      );
      const exact = setup(menuScript(makeParams({ promise: 'p'.repeat(512) })));
      expect(await exact.client.getInfo()).to.have.length(1);
    });

    const badOrders: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['same min fee and proportional', makeParams(), makeParams()],
      [
        'lower min fee',
        makeParams({ min_fee_msat: '2000', proportional: 1 }),
        makeParams({ min_fee_msat: '1000', proportional: 2 }),
      ],
      ['lower proportional', makeParams({ proportional: 5 }), makeParams({ min_fee_msat: '9999999', proportional: 4 })],
    ];
    for (const [name, a, b] of badOrders) {
      it(`aborts on a menu that is not strictly increasing (${name})`, async () => {
        const { client } = setup(menuScript(a, b));
        const e = await rejection(client.getInfo());
        expect(e.kind).to.equal('invalid-response');
        expect(e.displayMessage).to.match(/opening_fee_params_menu\[1\]/);
      });
    }
  });

  describe('choosing a tier', () => {
    const menu = async (limits = {}) => {
      const s = setup(
        menuScript(
          makeParams({ min_fee_msat: '1000', proportional: 5000, valid_until: '2026-11-20T11:59:59.000Z' }),
          makeParams({ min_fee_msat: '2000', proportional: 5000 }),
          makeParams({ min_fee_msat: '3000', proportional: 8000 }),
        ),
        limits,
      );
      return { ...s, menu: await s.client.getInfo() };
    };

    it('skips tiers whose valid_until has passed', async () => {
      const { client, menu: m } = await menu();
      expect(client.chooseParams(m).minFeeMsat).to.equal(2000n);
    });

    it('applies the wallet maximum proportional fee', async () => {
      const { client, menu: m } = await menu({ maxProportional: 4000 });
      expect(() => client.chooseParams(m)).to.throw(Lsps2ClientError, /proportional 5000 > limit 4000/);
    });

    it('applies the wallet maximum total fee to the fee for the payment size', async () => {
      const { client, menu: m } = await menu({ maxTotalFeeMsat: 10_000n });
      // 1_000_000 msat at 5000 ppm = 5000 msat, within the limit; at 8000 ppm would be 8000 msat.
      expect(client.chooseParams(m, 1_000_000n).minFeeMsat).to.equal(2000n);
      expect(() => client.chooseParams(m, 10_000_000n)).to.throw(Lsps2ClientError, /fee 50000 > limit 10000/);
    });
  });

  describe('lsps2.buy', () => {
    const buyScript = (req: SeenRequest): ScriptAnswer =>
      req.method === 'lsps2.get_info'
        ? { result: makeMenu(makeParams()) }
        : {
            result: { jit_channel_scid: '1x2x3', lsp_cltv_expiry_delta: 144, client_trusts_lsp: false, future_key: 1 },
          };

    it('echoes the chosen opening_fee_params verbatim with payment_size_msat and returns the SCID', async () => {
      const { client, lsp } = setup(buyScript);
      const [params] = await client.getInfo();
      const bought = await client.buy(params!, 5_000_000n);
      const sent = lsp.seen[1]!;
      expect(sent.method).to.equal('lsps2.buy');
      expect(sent.params).to.deep.equal({ opening_fee_params: makeParams(), payment_size_msat: '5000000' });
      expect(bought.jitChannelScid).to.equal((1n << 40n) | (2n << 16n) | 3n);
      expect(bought.lspCltvExpiryDelta).to.equal(144);
      expect(bought.paymentSizeMsat).to.equal(5_000_000n);
    });

    it('omits payment_size_msat for a no-MPP purchase', async () => {
      const { client, lsp } = setup(buyScript);
      const [params] = await client.getInfo();
      await client.buy(params!);
      expect(Object.keys(lsp.seen[1]!.params)).to.deep.equal(['opening_fee_params']);
    });

    it('refuses to buy with params whose valid_until has passed, without asking the LSP', async () => {
      const { client, lsp } = setup(() => ({
        result: makeMenu(makeParams({ valid_until: '2026-11-20T12:00:00.000Z' })),
      }));
      const [params] = await client.getInfo();
      const e = await rejection(client.buy(params!));
      expect(e.kind).to.equal('refused');
      expect(e.displayMessage).to.match(/valid_until .* is not in the future/);
      expect(lsp.seen).to.have.length(1);
    });

    const sizeCases: [string, bigint, RegExp][] = [
      ['below the tier minimum', 999n, /outside 1000\.\.1000000000/],
      ['above the tier maximum', 1_000_000_001n, /outside 1000\.\.1000000000/],
      ['whose fee is not below it', 546_000n, /not below payment_size_msat/],
    ];
    for (const [name, size, msg] of sizeCases) {
      it(`refuses a payment size ${name}`, async () => {
        const { client } = setup(buyScript);
        const [params] = await client.getInfo();
        expect((await rejection(client.buy(params!, size))).displayMessage).to.match(msg);
      });
    }

    it('surfaces the LSP buy error code (202 payment_size_too_small)', async () => {
      const { client } = setup((req) =>
        req.method === 'lsps2.get_info' ? buyScript(req) : { error: { code: 202, message: 'too small' } },
      );
      const [params] = await client.getInfo();
      const e = await rejection(client.buy(params!, 1_000_000n));
      expect(e.code).to.equal(202);
      expect(e.displayMessage).to.contain('payment_size_too_small');
    });

    it('rejects a buy result with a malformed SCID', async () => {
      const { client } = setup((req) =>
        req.method === 'lsps2.get_info'
          ? buyScript(req)
          : { result: { jit_channel_scid: 'nope', lsp_cltv_expiry_delta: 144 } },
      );
      const [params] = await client.getInfo();
      expect((await rejection(client.buy(params!))).kind).to.equal('invalid-response');
    });
  });
});
