/**
 * Channel-monitor persistence across kill -9 at its most delicate point: a forwarding node is killed after a
 * monitor update is durable on disk and before LDK was told (`channel_monitor_updated`), in the middle of a
 * payment it forwards. Restarted from the same files, it must rebuild its monitors from the full monitor plus the
 * logged updates, and the payment must resolve with nothing left pending on any channel.
 *
 * P (payer) -> H (the forwarding hop, in a child process) -> C (receiver); P and C are in this process.
 */
import { expect } from 'chai';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SandboxChain } from '@jitlsp/engine/chain';
import { LightningNode } from '@jitlsp/engine/node';
import { confirmedChannel, viaPeerMessageRouter, viaPeerRouter } from '@jitlsp/engine/testing';
import { quietNode } from './harness.js';
import { feeRatesOf, serveChain } from './support/ipc-chain.js';
import type { NodeChildCommand, NodeChildReport } from './support/node-child.js';
import { freePort, until } from './support/until.js';

const CHILD = fileURLToPath(new URL('./support/node-child.ts', import.meta.url));

class Hop {
  private reports: NodeChildReport[] = [];
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: unknown) => this.reports.push(m as NodeChildReport));
  }

  static async start(
    chain: SandboxChain,
    dataDir: string,
    port: number,
  ): Promise<{ hop: Hop; ready: Extract<NodeChildReport, { kind: 'ready' }> }> {
    const child = fork(CHILD, [], {
      execArgv: ['--conditions=jitlsp-source', '--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const stop = serveChain(child, chain);
    child.once('exit', stop);
    const hop = new Hop(child);
    hop.send({ kind: 'start', dataDir, port, feeRates: feeRatesOf(chain) });
    const ready = await hop.next('ready', 60_000);
    return { hop, ready };
  }

  send(m: NodeChildCommand): void {
    this.child.send(m);
  }

  async next<K extends NodeChildReport['kind']>(
    kind: K,
    timeoutMs = 30_000,
  ): Promise<Extract<NodeChildReport, { kind: K }>> {
    let found: NodeChildReport | undefined;
    await until(
      `hop reports ${kind}`,
      () => {
        const failed = this.reports.find((r) => r.kind === 'failed');
        if (failed) throw new Error(`hop failed: ${(failed as { error: string }).error}`);
        const i = this.reports.findIndex((r) => r.kind === kind);
        if (i >= 0) found = this.reports.splice(i, 1)[0];
        return found !== undefined;
      },
      timeoutMs,
    );
    return found as Extract<NodeChildReport, { kind: K }>;
  }

  async kill9(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await gone;
  }
}

describe('end to end: kill -9 between a monitor update being durable and LDK being told', function () {
  this.timeout(600_000);
  let root = '';
  let chain: SandboxChain;
  let payer: LightningNode;
  let receiver: LightningNode;
  let hop: Hop | undefined;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'jitlsp-monitor-kill9-'));
    chain = await SandboxChain.create();
  });
  after(async () => {
    await hop?.kill9();
    await payer?.stop();
    await receiver?.stop();
    await chain?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('rebuilds the hop from its full monitors plus logged updates, and the forwarded payment completes with nothing pending', async () => {
    const hopDir = join(root, 'hop');
    mkdirSync(hopDir);
    const port = await freePort();
    const first = await Hop.start(chain, hopDir, port);
    hop = first.hop;
    const hopId = first.ready.nodeId;
    let routeScid = 0n;
    const node = (name: string, extra = {}) =>
      LightningNode.start({
        dataDir: join(root, name),
        chain,
        name,
        logger: quietNode(name),
        reconnectBackoffMs: { min: 50, max: 1000 },
        ...extra,
      });
    payer = await node('payer');
    receiver = await node('receiver', {
      inboundChannels: { manualAccept: true, trustedZeroConfPeers: [hopId] },
      routerHook: viaPeerRouter(() => ({ peerNodeId: hopId, scid: routeScid })),
      messageRouterHook: viaPeerMessageRouter(() => hopId),
    });
    receiver.on('paymentClaimable', (e) => receiver.claimFunds(e.preimage!));
    await payer.connect(first.ready.address);
    await receiver.connect(first.ready.address);
    await confirmedChannel(chain, payer, { nodeId: hopId }, 1_000_000n);
    const toReceiver = receiver.waitFor('channelReady', (e) => e.counterpartyNodeId === hopId, 60_000);
    hop.send({ kind: 'open', peer: receiver.nodeId, capacitySat: '500000' });
    await hop.next('opened');
    await until('the hop -> receiver channel is pending', () => receiver.listChannels().length > 0);
    await chain.mine(6);
    await toReceiver;
    await until('the hop -> receiver channel is usable', () =>
      receiver.listChannels().some((c) => c.counterpartyNodeId === hopId && c.isUsable),
    );
    routeScid = receiver.listChannels().find((c) => c.counterpartyNodeId === hopId)!.inboundPaymentScid!;
    const { offer } = receiver.createOffer();

    // A payment through the hop before arming: the hop's logs hold updates from here on.
    const warm = payer.payOffer(offer, 50_000n);
    await payer.waitFor('paymentSent', (e) => e.paymentId === warm, 150_000);

    hop.send({ kind: 'arm' });
    const id = payer.payOffer(offer, 70_000n);
    const outcome = Promise.race([
      payer.waitFor('paymentSent', (e) => e.paymentId === id, 300_000).then(() => 'sent' as const),
      payer.waitFor('paymentFailed', (e) => e.paymentId === id, 300_000).then(() => 'failed' as const),
    ]);
    outcome.catch(() => undefined);
    await hop.next('durable', 60_000);
    await hop.kill9();
    const logs = readdirSync(join(hopDir, 'monitor-updates')).filter((f) => f.endsWith('.log'));
    expect(logs, 'the hop logged monitor updates').to.not.be.empty;

    const second = await Hop.start(chain, hopDir, port);
    hop = second.hop;
    expect(second.ready.nodeId).to.equal(hopId);
    expect(second.ready.monitorUpdatesReplayed, 'updates replayed onto the full monitors').to.be.greaterThan(0);

    expect(await outcome).to.equal('sent');
    await until('no HTLC pending at the payer or the receiver', () =>
      [payer, receiver].every((n) => n.listChannels().every((c) => c.pendingHtlcs.length === 0)),
    );
    expect(payer.listChannels().filter((c) => c.isUsable)).to.have.length(1);
    expect(receiver.listChannels().filter((c) => c.isUsable)).to.have.length(1);

    // And the hop keeps forwarding from the restored state.
    const after = payer.payOffer(offer, 30_000n);
    await payer.waitFor('paymentSent', (e) => e.paymentId === after, 150_000);
  });
});
