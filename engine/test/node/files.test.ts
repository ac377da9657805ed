import { expect } from 'chai';
import { statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePeerAddress } from '../../src/node/ids.js';
import { loadOrCreateSeed } from '../../src/node/seed.js';
import { FileStore } from '../../src/node/store.js';
import { removeDir, tempDir } from './support.js';

describe('engine files: seed, atomic store, peer addresses', () => {
  const dir = tempDir('files');
  after(() => removeDir(dir));

  it('creates the seed once with mode 0600 and reads the same bytes back', () => {
    const file = path.join(dir, 'seed');
    const first = loadOrCreateSeed(file, (n) => new Uint8Array(n).fill(7));
    expect(first.created).to.equal(true);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const again = loadOrCreateSeed(file, () => new Uint8Array(32).fill(9));
    expect(again.created).to.equal(false);
    expect(Buffer.from(again.seed).equals(Buffer.alloc(32, 7))).to.equal(true);
  });

  it('refuses a seed file of the wrong size, naming it', () => {
    const file = path.join(dir, 'bad-seed');
    writeFileSync(file, Buffer.alloc(31));
    expect(() => loadOrCreateSeed(file, (n) => new Uint8Array(n))).to.throw(
      /Node\/seedFile: expected 32 bytes .* got 31/,
    );
  });

  it('writes with write-then-rename and leaves no temp file behind', () => {
    const store = new FileStore(path.join(dir, 'state'));
    store.writeAtomic('monitors/a.bin', Uint8Array.of(1, 2, 3));
    store.writeAtomic('monitors/a.bin', Uint8Array.of(4));
    expect([...store.read('monitors/a.bin')!]).to.deep.equal([4]);
    expect(store.list('monitors')).to.deep.equal(['a.bin']);
    store.move('monitors/a.bin', 'archive/a.bin');
    expect(store.read('monitors/a.bin')).to.equal(undefined);
    expect(store.list('archive')).to.deep.equal(['a.bin']);
  });

  it('parses pubkey@host:port and rejects malformed addresses with a field-named error', () => {
    const id = '02' + '11'.repeat(32);
    expect(parsePeerAddress(`${id}@127.0.0.1:9735`)).to.deep.equal({ nodeId: id, host: '127.0.0.1', port: 9735 });
    expect(parsePeerAddress(`${id}@[::1]:9735`).host).to.equal('::1');
    expect(() => parsePeerAddress(`${id}@127.0.0.1`)).to.throw(/Node\/peer: expected pubkey@host:port/);
    expect(() => parsePeerAddress(`${id}@h:70000`)).to.throw(/Node\/peer.port: expected 1..65535, got 70000/);
  });
});
