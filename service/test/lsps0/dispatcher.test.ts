import { expect } from 'chai';
import { Lsps0Dispatcher, MAX_PENDING_REQUESTS_PER_PEER, MAX_REQUEST_BYTES } from '../../src/lsps0/index.js';
import { NOW, PEER_A, PEER_B, makeServer, req } from './harness.js';

/** A dispatcher with one slow method whose answers the test releases by hand. */
function slowServer(limits: { maxPendingPerPeer?: number; maxPendingTotal?: number } = {}) {
  const sent: { peer: string; json: any }[] = [];
  const gates: (() => void)[] = [];
  const d = new Lsps0Dispatcher({
    send: (peer, p) => sent.push({ peer, json: JSON.parse(new TextDecoder().decode(p)) }),
    clock: () => NOW,
    protocols: [2],
    limits,
  });
  d.register('lsps9.slow', () => new Promise((resolve) => gates.push(() => resolve({ result: { ok: true } }))));
  return { d, sent, gates };
}

describe('LSPS0 dispatcher (bLIP-50, LSP side)', () => {
  it('answers lsps0.list_protocols with [2] and never lists 0', async () => {
    const h = makeServer();
    const r = await h.call(PEER_A, req('lsps0.list_protocols', {}, 'abc'));
    expect(r).to.deep.equal({ jsonrpc: '2.0', id: 'abc', result: { protocols: [2] } });
  });

  it('answers the spec example request of lsps0.list_protocols verbatim by id', async () => {
    const h = makeServer();
    const r = await h.call(
      PEER_A,
      '{\n  "method": "lsps0.list_protocols",\n  "jsonrpc": "2.0",\n  "id": "example#3cad6a54d302edba4c9ade2f7ffac098",\n  "params": {}\n}',
    );
    expect(r.id).to.equal('example#3cad6a54d302edba4c9ade2f7ffac098');
    expect(r.result.protocols).to.deep.equal([2]);
  });

  it('answers a malformed payload with -32700 and id null', async () => {
    const h = makeServer();
    expect(await h.call(PEER_A, '{"jsonrpc":"2.0",')).to.deep.equal({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error' },
    });
  });

  it('answers a request that breaks the LSPS0 envelope rules (no id, by-position params) with -32700 and id null', async () => {
    const h = makeServer();
    expect((await h.call(PEER_A, { jsonrpc: '2.0', method: 'lsps0.list_protocols', params: {} })).error.code).to.equal(
      -32700,
    );
    const r = await h.call(PEER_A, { jsonrpc: '2.0', id: 'x', method: 'lsps0.list_protocols', params: [] });
    expect(r).to.deep.include({ id: null });
    expect(r.error.code).to.equal(-32700);
  });

  it('keeps serving a peer after it sent a malformed message (the peer is not otherwise punished)', async () => {
    const h = makeServer();
    await h.call(PEER_A, 'garbage');
    expect((await h.call(PEER_A, req('lsps0.list_protocols'))).result).to.deep.equal({ protocols: [2] });
  });

  it('answers an unknown method with -32601 and the request id', async () => {
    const h = makeServer();
    expect(await h.call(PEER_A, req('lsps7.nope', {}, 'q'))).to.deep.equal({
      jsonrpc: '2.0',
      id: 'q',
      error: { code: -32601, message: 'Method not found' },
    });
  });

  it('answers an unknown param with -32602 listing it in data.unrecognized', async () => {
    const h = makeServer();
    const r = await h.call(PEER_A, req('lsps0.list_protocols', { future_feature1_param: 'v' }, 'q'));
    expect(r.error).to.deep.equal({
      code: -32602,
      message: 'Invalid params',
      data: { unrecognized: ['future_feature1_param'] },
    });
  });

  it('answers a handler failure with -32603 without leaking the exception text', async () => {
    const sent: any[] = [];
    const d = new Lsps0Dispatcher({
      send: (_p, b) => sent.push(JSON.parse(new TextDecoder().decode(b))),
      protocols: [2],
      clock: () => NOW,
    });
    d.register('lsps9.boom', () => {
      throw new Error('database password is hunter2');
    });
    await d.handleMessage(PEER_A, JSON.stringify(req('lsps9.boom', {}, 'b')));
    expect(sent[0]).to.deep.equal({ jsonrpc: '2.0', id: 'b', error: { code: -32603, message: 'Internal error' } });
    expect(d.pending()).to.equal(0);
  });

  it(`rejects a message over ${MAX_REQUEST_BYTES} bytes with client_rejected without parsing it`, async () => {
    const h = makeServer();
    const big = JSON.stringify(req('lsps0.list_protocols', {}, 'x'.repeat(MAX_REQUEST_BYTES)));
    const r = await h.call(PEER_A, big);
    expect(r).to.deep.equal({
      jsonrpc: '2.0',
      id: null,
      error: { code: 1, message: 'Client rejected', data: { message: 'Message too large' } },
    });
  });

  it(`rejects a peer's request beyond ${MAX_PENDING_REQUESTS_PER_PEER} pending with client_rejected, and serves others`, async () => {
    const { d, sent, gates } = slowServer();
    const inflight = Array.from({ length: MAX_PENDING_REQUESTS_PER_PEER }, (_, i) =>
      d.handleMessage(PEER_A, JSON.stringify(req('lsps9.slow', {}, `s${i}`))),
    );
    await Promise.resolve();
    expect(d.pending(PEER_A)).to.equal(MAX_PENDING_REQUESTS_PER_PEER);
    await d.handleMessage(PEER_A, JSON.stringify(req('lsps9.slow', {}, 'over')));
    expect(sent.at(-1)).to.deep.equal({
      peer: PEER_A,
      json: {
        jsonrpc: '2.0',
        id: 'over',
        error: { code: 1, message: 'Client rejected', data: { message: 'Too many pending requests' } },
      },
    });
    await d.handleMessage(PEER_B, JSON.stringify(req('lsps0.list_protocols', {}, 'b')));
    expect(sent.at(-1)!.json.result).to.deep.equal({ protocols: [2] });
    gates.forEach((g) => g());
    await Promise.all(inflight);
    expect(d.pending()).to.equal(0);
    await d.handleMessage(PEER_A, JSON.stringify(req('lsps0.list_protocols', {}, 'again')));
    expect(sent.at(-1)!.json.result).to.deep.equal({ protocols: [2] });
  });

  it('rejects any request beyond the global pending limit with client_rejected', async () => {
    const { d, sent, gates } = slowServer({ maxPendingPerPeer: 5, maxPendingTotal: 3 });
    const inflight = [PEER_A, PEER_A, PEER_B].map((p, i) =>
      d.handleMessage(p, JSON.stringify(req('lsps9.slow', {}, `s${i}`))),
    );
    await d.handleMessage(PEER_B, JSON.stringify(req('lsps0.list_protocols', {}, 'over')));
    expect(sent.at(-1)!.json.error.code).to.equal(1);
    gates.forEach((g) => g());
    await Promise.all(inflight);
    expect(sent.filter((s) => s.json.result?.ok === true)).to.have.length(3);
  });

  it('survives a send that throws (peer gone) and reports each answer for metrics', async () => {
    const records: any[] = [];
    const d = new Lsps0Dispatcher({
      send: () => {
        throw new Error('peer not connected');
      },
      protocols: [2],
      clock: () => NOW,
      onDispatched: (r) => records.push(r),
    });
    await d.handleMessage(PEER_A, JSON.stringify(req('lsps0.list_protocols')));
    await d.handleMessage(PEER_A, 'nope');
    expect(records.map((r) => [r.method, r.code])).to.deep.equal([
      ['lsps0.list_protocols', undefined],
      [undefined, -32700],
    ]);
  });

  it('refuses to be configured to list protocol 0', () => {
    expect(() => new Lsps0Dispatcher({ send: () => {}, protocols: [0, 2] })).to.throw(/0 MUST NOT be listed/);
  });
});
