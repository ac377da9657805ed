import { expect } from 'chai';
import {
  JSONRPC_INVALID_PARAMS,
  parseClientInbound,
  parseListProtocolsParams,
  parseListProtocolsResult,
  listProtocolsResultToWire,
  parseParams,
  parseServerInbound,
  serializeErrorResponse,
  serializeRequest,
  serializeResultResponse,
  invalidParamsObject,
  formatOutpoint,
  parseOutpoint,
  parseOutputIndex,
  parseTxid,
} from '../../src/lsps0/index.js';
import { specExample, type SpecExample } from '../support/spec-examples.js';

const example = (line: number): SpecExample => specExample('blip-0050.md', line);

describe('bLIP-50 JSON examples (lsps-spec-json-examples.json)', () => {
  it('L420: the request with unrecognised params parses, and the method handler answers -32602 naming one of them', () => {
    const r = parseServerInbound(JSON.stringify(example(420).json));
    expect(r.kind).to.equal('request');
    if (r.kind !== 'request') return;
    expect(r.request).to.deep.equal({
      id: '42',
      method: 'example.method_name',
      params: { future_feature1_param: 'value1', future_feature2_param: 'value2' },
    });
    // The spec's LSP knows future_feature2_param but not future_feature1_param.
    const p = parseParams(r.request.params, ['future_feature2_param'], 'example.method_name', (x) => x);
    expect(p.ok).to.equal(false);
    if (p.ok) return;
    // L438 is exactly the response the LSP then sends.
    expect(JSON.parse(serializeErrorResponse(r.request.id, p.error))).to.deep.equal(example(438).json);
    // Re-serialising the request gives the same object.
    expect(JSON.parse(serializeRequest(r.request))).to.deep.equal(example(420).json);
  });

  it('L438: the -32602 error response parses on the client with data.unrecognized', () => {
    const r = parseClientInbound(JSON.stringify(example(438).json));
    expect(r).to.deep.equal({
      kind: 'error',
      id: '42',
      error: {
        code: JSONRPC_INVALID_PARAMS,
        message: 'Invalid params',
        data: { unrecognized: ['future_feature1_param'] },
      },
    });
    expect(JSON.parse(serializeErrorResponse('42', invalidParamsObject(['future_feature1_param'])))).to.deep.equal(
      example(438).json,
    );
  });

  it('L573: the list_protocols result datum parses and serialises back equal', () => {
    const parsed = parseListProtocolsResult(example(573).json);
    expect(parsed).to.deep.equal({ protocols: [1, 3] });
    expect(listProtocolsResultToWire(parsed)).to.deep.equal(example(573).json);
  });

  it('L595: the full list_protocols request parses with empty params and serialises back equal', () => {
    const r = parseServerInbound(JSON.stringify(example(595).json));
    expect(r.kind).to.equal('request');
    if (r.kind !== 'request') return;
    expect(r.request.id).to.equal('example#3cad6a54d302edba4c9ade2f7ffac098');
    expect(r.request.method).to.equal('lsps0.list_protocols');
    expect(parseListProtocolsParams(r.request.params)).to.deep.equal({ ok: true, value: {} });
    expect(JSON.parse(serializeRequest(r.request))).to.deep.equal(example(595).json);
  });

  it('L607: the full list_protocols response parses, ignoring the undefined key, and serialises back equal', () => {
    const r = parseClientInbound(JSON.stringify(example(607).json));
    expect(r.kind).to.equal('result');
    if (r.kind !== 'result') return;
    expect(parseListProtocolsResult(r.result)).to.deep.equal({ protocols: [1, 3] });
    expect(JSON.parse(serializeResultResponse(r.id, r.result))).to.deep.equal(example(607).json);
  });

  it('L1038: the txid example reads as 64 hex characters (upper case accepted)', () => {
    const txid = example(1038).json.txid;
    expect(parseTxid(txid, 'txid')).to.equal(String(txid).toLowerCase());
    expect(() => parseTxid('F27C', 'txid')).to.throw(/txid: expected LSPS0\.txid/);
  });

  it('L1054: the output_index example reads as the integer 0', () => {
    expect(parseOutputIndex(example(1054).json.output_index, 'output_index')).to.equal(0);
    expect(() => parseOutputIndex('0', 'output_index')).to.throw(/output_index: expected LSPS0\.output_index/);
    expect(() => parseOutputIndex(65536, 'output_index')).to.throw(/output_index/);
  });

  it('L1070: the outpoint example reads as txid and index and writes back (lower-cased)', () => {
    const text = String(example(1070).json.funding_outpoint);
    const o = parseOutpoint(text, 'funding_outpoint');
    expect(o.outputIndex).to.equal(0);
    expect(formatOutpoint(o)).to.equal(text.toLowerCase());
    expect(() => parseOutpoint(text.replace(':0', ':65536'), 'funding_outpoint')).to.throw(/funding_outpoint/);
    expect(() => parseOutpoint(text.replace(':', '/'), 'funding_outpoint')).to.throw(/funding_outpoint/);
  });
});

describe('lsps0.list_protocols', () => {
  it('answers an unknown param with -32602 listing it', () => {
    const r = parseListProtocolsParams({ verbose: true });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.error).to.deep.equal({ code: -32602, message: 'Invalid params', data: { unrecognized: ['verbose'] } });
  });

  it('refuses to list LSPS0 itself (bLIP-50: 0 MUST NOT appear)', () => {
    expect(() => listProtocolsResultToWire({ protocols: [0, 2] })).to.throw(RangeError, /0 MUST NOT be listed/);
  });

  it('rejects a result whose protocols are not integers', () => {
    expect(() => parseListProtocolsResult({ protocols: ['2'] })).to.throw(/protocols\[0\]: expected an integer/);
    expect(() => parseListProtocolsResult({ protocols: 2 })).to.throw(/protocols: expected an array/);
    expect(() => parseListProtocolsResult({})).to.throw(/protocols: expected an array/);
  });
});
