import { expect } from 'chai';
import { Secret } from '../src/config/secret.js';
import { createLogger, type LogLevel } from '../src/log.js';

function capture(level: LogLevel = 'trace') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const log = createLogger({
    level,
    clock: () => new Date('2026-01-01T00:00:00Z'),
    sink: (l) => {
      raw.push(l);
      lines.push(JSON.parse(l));
    },
  });
  return { log, lines, raw };
}

describe('structured logger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { log, lines } = capture();
    log.info('buy answered', { scid: 42n, bytes: Uint8Array.from([1, 255]), at: new Date(0) });
    expect(lines).to.deep.equal([
      {
        ts: '2026-01-01T00:00:00.000Z',
        level: 'info',
        msg: 'buy answered',
        scid: '42',
        bytes: '01ff',
        at: '1970-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('drops lines below its level, and logs nothing when silent', () => {
    const { log, lines } = capture('warn');
    log.debug('no');
    log.info('no');
    log.warn('yes');
    log.log('error', 'yes too');
    expect(lines.map((l) => l.msg)).to.deep.equal(['yes', 'yes too']);
    expect(log.isEnabled('info')).to.equal(false);
    const quiet = capture('silent');
    quiet.log.error('nothing');
    expect(quiet.lines).to.deep.equal([]);
  });

  it('adds a child logger’s bindings to every line', () => {
    const { log, lines } = capture();
    log.child({ component: 'http' }).child({ peer: '02ab' }).info('x', { n: 1 });
    expect(lines[0]).to.include({ component: 'http', peer: '02ab', n: 1 });
  });

  it('redacts secrets by field name, Secret values and URL passwords, at any depth', () => {
    const { log, raw } = capture();
    log.info('config postgres://lsp:hunter2@db/x', {
      adminToken: 'tok-123456789',
      nested: { promise_secret: 'abcdef', authorization: 'Bearer zzz', list: [{ password: 'pw1' }] },
      secretValue: new Secret('s3cr3t'),
      url: 'postgres://lsp:hunter2@db:5432/x',
      preimage: 'ff'.repeat(32),
    });
    const text = raw.join('\n');
    for (const s of ['tok-123456789', 'abcdef', 'zzz', 'pw1', 's3cr3t', 'hunter2', 'ff'.repeat(32)])
      expect(text).to.not.include(s);
    expect(text).to.include('postgres://lsp:***@db:5432/x');
  });

  it('keeps the name, message and code of errors, and survives circular fields', () => {
    const { log, lines } = capture();
    const err = Object.assign(new Error('boom'), { code: 'E_X' });
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    const shared = { v: 1 };
    log.error('failed', { err, loop, one: shared, two: shared });
    expect(lines[0]!.err).to.include({ name: 'Error', message: 'boom', code: 'E_X' });
    expect(lines[0]!.loop).to.deep.equal({ a: 1, self: '[circular]' });
    expect(lines[0]!.two).to.deep.equal({ v: 1 });
  });
});
