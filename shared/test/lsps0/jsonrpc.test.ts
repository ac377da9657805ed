import { expect } from 'chai';
import {
  JSONRPC_INVALID_REQUEST,
  JSONRPC_PARSE_ERROR,
  type JsonRpcId,
  clientRejectedObject,
  invalidParamsObject,
  newRequestId,
  parseClientInbound,
  parseServerInbound,
  serializeErrorResponse,
  serializeNotification,
  serializeRequest,
  serializeResultResponse,
} from '../../src/lsps0/index.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** One valid request; malformed cases are this plus overrides. */
function makeRequest(overrides: Record<string, unknown> = {}, drop: string[] = []): string {
  const base: Record<string, unknown> = {
    jsonrpc: '2.0',
    id: 'c0ffee00c0ffee00c0ffee00',
    method: 'lsps0.list_protocols',
    params: {},
    ...overrides,
  };
  for (const k of drop) delete base[k];
  return JSON.stringify(base);
}

describe('LSPS0 JSON-RPC envelope, LSP side (bLIP-50 "Message Payload Format")', () => {
  it('accepts a well-formed request and returns its id, method and params', () => {
    const r = parseServerInbound(makeRequest({ params: { token: 'x' } }));
    expect(r).to.deep.equal({
      kind: 'request',
      request: { id: 'c0ffee00c0ffee00c0ffee00', method: 'lsps0.list_protocols', params: { token: 'x' } },
    });
  });

  it('accepts the same request as UTF-8 bytes, with the whitespace bLIP-50 allows around it', () => {
    const r = parseServerInbound(utf8(` \t\r\n${makeRequest()}\n\r\t `));
    expect(r.kind).to.equal('request');
  });

  it('treats omitted params as {} (JSON-RPC 2.0 allows omitting them)', () => {
    const r = parseServerInbound(makeRequest({}, ['params']));
    expect(r.kind === 'request' && r.request.params).to.deep.equal({});
  });

  it('accepts non-ASCII text inside strings', () => {
    const r = parseServerInbound(utf8(makeRequest({ params: { token: 'café ⚡' } })));
    expect(r.kind === 'request' && r.request.params.token).to.equal('café ⚡');
  });

  // bLIP-50 "bad message format": the LSP answers -32700 with id null.
  const parseErrors: [string, Uint8Array | string][] = [
    ['an empty payload', ''],
    ['only whitespace', '   '],
    ['an unterminated object "{"', '{'],
    ['the spec example " [ ] "', ' [ ] '],
    ['the spec example " { } { "', ' { } { '],
    ['the spec example " { } { }"', ' { } { }'],
    ['two requests back to back', makeRequest() + makeRequest()],
    ['a batch of one request', `[${makeRequest()}]`],
    ['a JSON string', '"lsps0.list_protocols"'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['JSON true', 'true'],
    ['trailing junk', makeRequest() + 'x'],
    ['a trailing comma inside the object', makeRequest().replace(/}$/, ',}')],
    ['single-quoted JSON', "{'jsonrpc':'2.0'}"],
    ['a JavaScript comment', makeRequest() + '// hi'],
    ['a NUL byte after the object', utf8(makeRequest() + '\u0000')],
    ['a NUL byte inside a string', utf8(makeRequest({ id: 'a\u0000b' }).replace('\\u0000', '\u0000'))],
    ['a NUL character in already-decoded text', makeRequest() + '\u0000'],
    ['invalid UTF-8 (a lone continuation byte)', new Uint8Array([0x7b, 0x80, 0x7d])],
    ['an overlong UTF-8 encoding', new Uint8Array([0x7b, 0xc0, 0xaf, 0x7d])],
    ['a UTF-16 payload', new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00])],
    ['a UTF-8 byte order mark before the object', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(makeRequest())])],
    ['a form feed (not bLIP-50 whitespace) before the object', '\f' + makeRequest()],
    ['a non-breaking space before the object', '\u00a0' + makeRequest()],
    ['a truncated request', makeRequest().slice(0, -5)],
    ['a response sent to the LSP', JSON.stringify({ jsonrpc: '2.0', id: 'a', result: {} })],
    [
      'an error response sent to the LSP',
      JSON.stringify({ jsonrpc: '2.0', id: 'a', error: { code: 1, message: 'x' } }),
    ],
    ['an empty object', '{}'],
    ['an object without a method', JSON.stringify({ jsonrpc: '2.0', id: 'a', params: {} })],
    ['an unescaped control character in a string', '{"jsonrpc":"2.0","id":"a\nb","method":"m"}'],
    ['a lone high surrogate escape followed by garbage', '{"id":"\\ud800'],
  ];
  for (const [what, payload] of parseErrors) {
    it(`answers ${what} with -32700 and id null`, () => {
      const r = parseServerInbound(payload);
      expect(r.kind).to.equal('invalid');
      if (r.kind !== 'invalid') return;
      expect(r.error.code).to.equal(JSONRPC_PARSE_ERROR);
      expect(r.id).to.equal(null);
      expect(r.reason).to.match(/^(payload|message)/);
    });
  }

  // Objects that try to be requests but break a request rule: -32600, id echoed when recoverable.
  const invalidRequests: [string, string, JsonRpcId][] = [
    ['jsonrpc "1.0"', makeRequest({ jsonrpc: '1.0' }), 'c0ffee00c0ffee00c0ffee00'],
    ['jsonrpc as the number 2', makeRequest({ jsonrpc: 2 }), 'c0ffee00c0ffee00c0ffee00'],
    ['no jsonrpc member', makeRequest({}, ['jsonrpc']), 'c0ffee00c0ffee00c0ffee00'],
    ['a notification (no id)', makeRequest({}, ['id']), null],
    ['a null id', makeRequest({ id: null }), null],
    ['a numeric id (echoed so the client can match it)', makeRequest({ id: 7 }), 7],
    ['an object id', makeRequest({ id: { a: 1 } }), null],
    ['a boolean id', makeRequest({ id: true }), null],
    ['a method that is a number', makeRequest({ method: 1 }), 'c0ffee00c0ffee00c0ffee00'],
    ['an empty method', makeRequest({ method: '' }), 'c0ffee00c0ffee00c0ffee00'],
    ['a null method', makeRequest({ method: null }), 'c0ffee00c0ffee00c0ffee00'],
    ['by-position params', makeRequest({ params: ['a', 'b'] }), 'c0ffee00c0ffee00c0ffee00'],
    ['params as a string', makeRequest({ params: 'bar' }), 'c0ffee00c0ffee00c0ffee00'],
    ['params as null', makeRequest({ params: null }), 'c0ffee00c0ffee00c0ffee00'],
    ['params as a number', makeRequest({ params: 3 }), 'c0ffee00c0ffee00c0ffee00'],
    ['an unknown top-level member', makeRequest({ extra: 1 }), 'c0ffee00c0ffee00c0ffee00'],
    ['a result member beside method', makeRequest({ result: {} }), 'c0ffee00c0ffee00c0ffee00'],
    [
      'the JSON-RPC spec example {"jsonrpc":"2.0","method":1,"params":"bar"}',
      '{"jsonrpc":"2.0","method":1,"params":"bar"}',
      null,
    ],
  ];
  for (const [what, payload, id] of invalidRequests) {
    it(`answers a request with ${what} with -32600 and id ${JSON.stringify(id)}`, () => {
      const r = parseServerInbound(payload);
      expect(r.kind).to.equal('invalid');
      if (r.kind !== 'invalid') return;
      expect(r.error.code).to.equal(JSONRPC_INVALID_REQUEST);
      expect(r.id).to.equal(id);
      expect(r.reason).to.match(/^request/);
    });
  }

  it('takes JSON keys such as __proto__ as data, not as the prototype', () => {
    const r = parseServerInbound('{"jsonrpc":"2.0","id":"a","method":"m","params":{"__proto__":{"x":1}}}');
    expect(r.kind === 'request' && Object.keys(r.request.params)).to.deep.equal(['__proto__']);
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
  });

  it('survives deeply nested params without throwing', () => {
    const deep = '{"jsonrpc":"2.0","id":"a","method":"m","params":{"a":' + '['.repeat(20000) + ']'.repeat(20000) + '}}';
    expect(() => parseServerInbound(deep)).not.to.throw();
  });
});

describe('LSPS0 JSON-RPC envelope, client side (bLIP-50)', () => {
  it('reads a result response', () => {
    expect(parseClientInbound('{"jsonrpc":"2.0","id":"a","result":{"protocols":[2]}}')).to.deep.equal({
      kind: 'result',
      id: 'a',
      result: { protocols: [2] },
    });
  });

  it('reads an error response with a data object', () => {
    expect(parseClientInbound(serializeErrorResponse('a', clientRejectedObject('go away')))).to.deep.equal({
      kind: 'error',
      id: 'a',
      error: { code: 1, message: 'Client rejected', data: { message: 'go away' } },
    });
  });

  it('reads a -32700 error with id null', () => {
    const r = parseClientInbound('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
    expect(r).to.deep.equal({ kind: 'error', id: null, error: { code: -32700, message: 'Parse error' } });
  });

  it('drops a non-object error.data rather than failing the response', () => {
    const r = parseClientInbound('{"jsonrpc":"2.0","id":"a","error":{"code":201,"message":"x","data":"str"}}');
    expect(r).to.deep.equal({ kind: 'error', id: 'a', error: { code: 201, message: 'x' } });
  });

  it('ignores unknown top-level members of a response', () => {
    expect(parseClientInbound('{"jsonrpc":"2.0","id":"a","result":{},"x":1}').kind).to.equal('result');
  });

  it('reads an LSP notification with by-name params', () => {
    expect(parseClientInbound('{"jsonrpc":"2.0","method":"lsps5.webhook_registered","params":{}}')).to.deep.equal({
      kind: 'notification',
      method: 'lsps5.webhook_registered',
      params: {},
    });
  });

  const ignored: [string, string][] = [
    ['a request sent to the client', makeRequest()],
    ['a result with a null id', '{"jsonrpc":"2.0","id":null,"result":{}}'],
    ['a result that is not an object', '{"jsonrpc":"2.0","id":"a","result":[1,3]}'],
    ['a result that is a string', '{"jsonrpc":"2.0","id":"a","result":"ok"}'],
    ['both result and error', '{"jsonrpc":"2.0","id":"a","result":{},"error":{"code":1,"message":"x"}}'],
    ['neither result nor error', '{"jsonrpc":"2.0","id":"a"}'],
    ['an error code that is not an integer', '{"jsonrpc":"2.0","id":"a","error":{"code":1.5,"message":"x"}}'],
    ['an error without a message', '{"jsonrpc":"2.0","id":"a","error":{"code":1}}'],
    ['an error that is a string', '{"jsonrpc":"2.0","id":"a","error":"bad"}'],
    ['a numeric response id', '{"jsonrpc":"2.0","id":5,"result":{}}'],
    ['jsonrpc 1.0', '{"jsonrpc":"1.0","id":"a","result":{}}'],
    ['a notification with by-position params', '{"jsonrpc":"2.0","method":"x","params":[1]}'],
    ['a notification without params', '{"jsonrpc":"2.0","method":"x"}'],
    ['a batch of responses', '[{"jsonrpc":"2.0","id":"a","result":{}}]'],
    ['trailing data', '{"jsonrpc":"2.0","id":"a","result":{}} {}'],
  ];
  for (const [what, payload] of ignored) {
    it(`marks ${what} as invalid, to be ignored`, () => {
      expect(parseClientInbound(payload).kind).to.equal('invalid');
    });
  }
});

describe('LSPS0 JSON-RPC serializers', () => {
  it('write a request that the LSP parser reads back', () => {
    const text = serializeRequest({ id: 'abc', method: 'lsps2.get_info', params: { token: 't' } });
    expect(text).to.equal('{"jsonrpc":"2.0","id":"abc","method":"lsps2.get_info","params":{"token":"t"}}');
    expect(parseServerInbound(text)).to.deep.equal({
      kind: 'request',
      request: { id: 'abc', method: 'lsps2.get_info', params: { token: 't' } },
    });
  });

  it('write a -32700 error with id null', () => {
    expect(serializeErrorResponse(null, { code: -32700, message: 'Parse error' })).to.equal(
      '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}',
    );
  });

  it('write -32602 with data.unrecognized', () => {
    expect(JSON.parse(serializeErrorResponse('42', invalidParamsObject(['future_feature1_param'])))).to.deep.equal({
      jsonrpc: '2.0',
      id: '42',
      error: { code: -32602, message: 'Invalid params', data: { unrecognized: ['future_feature1_param'] } },
    });
  });

  it('write non-ASCII and "/" literally, without unnecessary escapes (bLIP-50 "Common Schemas")', () => {
    const text = serializeResultResponse('a', { note: 'café/⚡' });
    expect(text).to.contain('"café/⚡"');
  });

  it('write a notification without an id', () => {
    expect(serializeNotification('lsps5.webhook_registered', {})).to.equal(
      '{"jsonrpc":"2.0","method":"lsps5.webhook_registered","params":{}}',
    );
  });

  it('refuse to write a non-object result or by-position params', () => {
    expect(() => serializeResultResponse('a', [] as unknown as Record<string, unknown>)).to.throw(TypeError);
    expect(() => serializeRequest({ id: 'a', method: 'm', params: [] as unknown as Record<string, unknown> })).to.throw(
      TypeError,
    );
    expect(() => serializeRequest({ id: '', method: 'm', params: {} })).to.throw(TypeError);
  });

  it('make request ids of 128 random bits as hex, from the injected randomness', () => {
    const id = newRequestId((n) => new Uint8Array(n).fill(0xab));
    expect(id).to.equal('ab'.repeat(16));
    expect(() => newRequestId(() => new Uint8Array(4))).to.throw(RangeError);
  });
});

describe('LSPS0 envelope parsers on hostile bytes', () => {
  let seed = 0x12345678;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const alphabet = [
    '{',
    '}',
    '[',
    ']',
    '"',
    ':',
    ',',
    '\\',
    'u',
    '0',
    '1',
    'e',
    '-',
    '.',
    'n',
    't',
    'jsonrpc',
    'id',
    'method',
    'params',
    '2.0',
    ' ',
    '\u0000',
    '\u00ff',
  ];

  it('never throw on 3,000 random JSON-ish byte strings, and answer every LSP-side failure with -32700 or -32600', () => {
    for (let i = 0; i < 3000; i++) {
      const len = rand() % 40;
      let s = '';
      for (let j = 0; j < len; j++) s += alphabet[rand() % alphabet.length];
      const bytes = i % 2 === 0 ? new TextEncoder().encode(s) : Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
      const server = parseServerInbound(bytes);
      if (server.kind === 'invalid') expect([-32700, -32600]).to.include(server.error.code);
      expect(['result', 'error', 'notification', 'invalid']).to.include(parseClientInbound(bytes).kind);
    }
  });

  it('never throw when each byte of a valid request is mutated in turn', () => {
    const base = new TextEncoder().encode(makeRequest({ params: { token: 'abc', n: 1 } }));
    for (let i = 0; i < base.length; i++) {
      for (const b of [0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x80, 0xff, 0x20]) {
        const m = base.slice();
        m[i] = b;
        const r = parseServerInbound(m);
        expect(['request', 'invalid']).to.include(r.kind);
      }
    }
  });
});
