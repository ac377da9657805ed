import { expect } from 'chai';
import { classifyAddress, refuseAddress, refuseHost } from '../../src/lsps5/destination.js';

describe('webhook destinations (no way into the operator’s network)', () => {
  const cases: [string, string][] = [
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['100.64.0.1', 'carrier_grade_nat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'], // NAT64 of 10.0.0.1
    ['2002:a9fe:a9fe::1', 'metadata'], // 6to4 of 169.254.169.254
    ['not an address', 'invalid'],
  ];
  for (const [ip, cls] of cases) it(`classifies ${ip} as ${cls}`, () => expect(classifyAddress(ip)).to.equal(cls));

  it('lets loopback through only with the test flag, and nothing else with it', () => {
    expect(refuseAddress('127.0.0.1', { allowLoopback: true })).to.equal(undefined);
    expect(refuseAddress('127.0.0.1', { allowLoopback: false })).to.equal('loopback');
    expect(refuseAddress('10.0.0.1', { allowLoopback: true })).to.equal('private');
    expect(refuseAddress('169.254.169.254', { allowLoopback: true })).to.equal('metadata');
  });

  it('judges literal hosts and localhost names at registration, and leaves other names to delivery', () => {
    expect(refuseHost('[::1]', { allowLoopback: false })).to.match(/loopback/);
    expect(refuseHost('api.LOCALHOST.', { allowLoopback: false })).to.match(/localhost/);
    expect(refuseHost('push.example.org', { allowLoopback: false })).to.equal(undefined);
    expect(refuseHost('93.184.216.34', { allowLoopback: false })).to.equal(undefined);
  });
});
