import { expect } from 'chai';
import { getPublicKey, toHex } from '@jitlsp/shared/crypto';
import { lnSign, lnVerify, zbase32Decode, zbase32Encode } from '@jitlsp/shared/lsps0';
import { lsps5SignedMessage } from '@jitlsp/shared/lsps5';
import { MemorySeenStore, verifyLsps5Notification } from '../../src/lsps5/verify.js';

const LSP_KEY = new Uint8Array(32).fill(0x42);
const LSP = toHex(getPublicKey(LSP_KEY));
const NOW = new Date('2026-06-01T12:00:00.000Z');
const BODY = '{"jsonrpc":"2.0","method":"lsps5.payment_incoming","params":{}}';

function call(over: { ts?: string; body?: string; key?: Uint8Array } = {}) {
  const ts = over.ts ?? NOW.toISOString();
  const body = over.body ?? BODY;
  const sig = lnSign(lsps5SignedMessage(ts, body), over.key ?? LSP_KEY);
  return { headers: { 'x-lsps5-timestamp': ts, 'x-lsps5-signature': sig } as Record<string, string>, body };
}

/** The same signature with s negated and the recovery id flipped: also valid, different bytes. */
function malleate(sig: string): string {
  const rec = zbase32Decode(sig)!;
  const n = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
  const s = BigInt('0x' + Buffer.from(rec.subarray(33)).toString('hex'));
  const out = Uint8Array.from(rec);
  out[0] = 31 + ((rec[0]! - 31) ^ 1);
  out.set(Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'), 33);
  return zbase32Encode(out);
}

describe('verifyLsps5Notification (the push server’s check, bLIP-55)', () => {
  it('accepts a call signed by the LSP within the time window, and reads its method', async () => {
    const c = call();
    const v = await verifyLsps5Notification(c.headers, c.body, LSP, NOW);
    expect(v).to.deep.include({ ok: true, method: 'lsps5.payment_incoming', known: true });
  });

  it('reads headers from a fetch Headers object and a Uint8Array body too', async () => {
    const c = call({ body: '{"jsonrpc":"2.0","method":"lsps5.expiry_soon","params":{"timeout":850000}}' });
    const v = await verifyLsps5Notification(new Headers(c.headers), new TextEncoder().encode(c.body), LSP, NOW);
    expect(v).to.deep.include({ ok: true, timeoutBlockHeight: 850000 });
  });

  it('accepts an unknown method as not known (a service MUST ignore it, not fail)', async () => {
    const c = call({ body: '{"jsonrpc":"2.0","method":"acme.wave","params":{}}' });
    expect(await verifyLsps5Notification(c.headers, c.body, LSP, NOW)).to.deep.include({ ok: true, known: false });
  });

  const refused: [string, () => { headers: Record<string, string>; body: string }, RegExp][] = [
    ['a changed body', () => ({ ...call(), body: BODY.replace('payment', 'onion_message') }), /signature/],
    ['another signer', () => call({ key: new Uint8Array(32).fill(0x43) }), /signature/],
    [
      'a timestamp 11 minutes old',
      () => call({ ts: new Date(NOW.getTime() - 11 * 60_000).toISOString() }),
      /timestamp/,
    ],
    [
      'a timestamp 11 minutes ahead',
      () => call({ ts: new Date(NOW.getTime() + 11 * 60_000).toISOString() }),
      /timestamp/,
    ],
    [
      'a changed timestamp',
      () => ({ ...call(), headers: { ...call().headers, 'x-lsps5-timestamp': '2026-06-01T12:00:00.001Z' } }),
      /signature/,
    ],
    ['no signature header', () => ({ headers: { 'x-lsps5-timestamp': NOW.toISOString() }, body: BODY }), /missing/],
    [
      'a timestamp not in LSPS0.datetime form',
      () => ({ ...call(), headers: { ...call().headers, 'x-lsps5-timestamp': 'yesterday' } }),
      /datetime/,
    ],
    [
      'an upper-cased signature',
      () => {
        const c = call();
        return { ...c, headers: { ...c.headers, 'x-lsps5-signature': c.headers['x-lsps5-signature']!.toUpperCase() } };
      },
      /zbase32/,
    ],
    [
      'a body that is a request',
      () => call({ body: '{"jsonrpc":"2.0","id":"1","method":"lsps5.payment_incoming","params":{}}' }),
      /notification/,
    ],
  ];
  for (const [what, make, reason] of refused) {
    it(`refuses ${what}`, async () => {
      const c = make();
      const v = await verifyLsps5Notification(c.headers, c.body, LSP, NOW);
      expect(v.ok).to.equal(false);
      if (!v.ok) expect(v.reason).to.match(reason);
    });
  }

  it('refuses a replayed call with a seen-store, even with the signature rewritten into another valid one', async () => {
    const seen = new MemorySeenStore();
    const c = call();
    expect((await verifyLsps5Notification(c.headers, c.body, LSP, NOW, { seen })).ok).to.equal(true);
    const again = await verifyLsps5Notification(c.headers, c.body, LSP, new Date(NOW.getTime() + 5000), { seen });
    expect(again).to.deep.equal({ ok: false, reason: 'replay: this call was already accepted' });
    const other = malleate(c.headers['x-lsps5-signature']!);
    expect(other).not.to.equal(c.headers['x-lsps5-signature']);
    expect(lnVerify(lsps5SignedMessage(NOW.toISOString(), BODY), other, getPublicKey(LSP_KEY))).to.equal(true);
    const rewritten = await verifyLsps5Notification({ ...c.headers, 'x-lsps5-signature': other }, c.body, LSP, NOW, {
      seen,
    });
    expect(rewritten.ok).to.equal(false);
  });

  it('does not remember forged calls (they cannot fill the store)', async () => {
    const seen = new MemorySeenStore(1);
    const forged = call({ key: new Uint8Array(32).fill(0x43) });
    await verifyLsps5Notification(forged.headers, forged.body, LSP, NOW, { seen });
    const c = call();
    expect((await verifyLsps5Notification(c.headers, c.body, LSP, NOW, { seen })).ok).to.equal(true);
  });
});
