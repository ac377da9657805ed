import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { PEER_A, PEER_B, makeServer, req } from './harness.js';

interface Entry {
  name: string;
  payload?: string;
  payloadHex?: string;
  payloadRepeat?: { head: string; unit: string; count: number; tail: string };
  expect: { code: number; id: string | null } | { result: true; id: string };
}

const corpus: Entry[] = JSON.parse(readFileSync(new URL('../fixtures/lsps0-hostile.json', import.meta.url), 'utf8'));

function bytesOf(e: Entry): Uint8Array {
  if (e.payloadHex !== undefined) return new Uint8Array(Buffer.from(e.payloadHex, 'hex'));
  if (e.payloadRepeat !== undefined) {
    const r = e.payloadRepeat;
    return new TextEncoder().encode(r.head + r.unit.repeat(r.count) + r.tail);
  }
  return new TextEncoder().encode(e.payload!);
}

describe('LSPS0 hostile corpus (service/test/fixtures/lsps0-hostile.json)', () => {
  // One server for the whole corpus: it must keep serving after every hostile message.
  const h = makeServer({ tokens: ['good-token'] });

  it('holds at least 200 messages', () => {
    expect(corpus.length).to.be.at.least(200);
  });

  for (const e of corpus) {
    const want = 'code' in e.expect ? `error ${e.expect.code}` : 'a result';
    it(`answers ${e.name} with ${want} and keeps serving other peers`, async () => {
      const before = h.sent.length;
      await h.server.handleMessage(PEER_A, bytesOf(e));
      expect(h.sent.length - before, 'exactly one answer').to.equal(1);
      const answer = h.sent.at(-1)!;
      expect(answer.peer).to.equal(PEER_A);
      expect(answer.json.jsonrpc).to.equal('2.0');
      expect(answer.json.id).to.equal(e.expect.id);
      if ('code' in e.expect) {
        expect(answer.json.error.code).to.equal(e.expect.code);
        expect(answer.json).to.not.have.property('result');
        if (e.expect.code === -32602) expect(answer.json.error.data.unrecognized).to.be.an('array');
        if (answer.json.error.data !== undefined) expect(answer.json.error.data).to.be.an('object');
      } else {
        expect(answer.json.result).to.be.an('object');
      }
      const other = await h.call(PEER_B, req('lsps0.list_protocols', {}, 'still-there'));
      expect(other).to.deep.equal({ jsonrpc: '2.0', id: 'still-there', result: { protocols: [2] } });
      expect(h.server.pending()).to.equal(0);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
  }
});
