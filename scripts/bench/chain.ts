/**
 * `npm run bench:chain`: the bitcoind chain source against a real full node (bcoin regtest, a child process).
 *
 * 1. Catch-up: a consumer 1,000 blocks behind is brought to the tip through the ChainFollower (pipelined
 *    `getblockhash` + `getblock`, every block checked against its hash and merkle root, linked by hash), against
 *    the baseline in the same process: a bare sequential `getblockhash` + `getblock <hash> 0` loop on the same
 *    RPC client, without any check. Printed: both times, blocks per second and the ratio (goal <= 1.3x).
 * 2. Idle CPU: a synced BitcoindRpcChain polling at the default interval (2 s) with a follower subscribed, no
 *    new blocks; this process's CPU time over the window as a share of one core (goal < 1%), against a bare
 *    `getbestblockhash` every 2 s. bcoin's own CPU is not counted: it is the node the operator already runs.
 *
 * Env: BENCH_BLOCKS (default 1000), BENCH_IDLE_SECONDS (default 30), BENCH_RUNS (default 3, best and median).
 */
import { performance } from 'node:perf_hooks';
import {
  BitcoindRpcChain,
  BitcoindRpcClient,
  ChainFollower,
  type ChainBlock,
  type ChainListener,
} from '@jitlsp/engine/chain';
import { BcoinNode } from '@jitlsp/engine/testing';

const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 1000);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A consumer that keeps only its best block (the follower's own cost, not LDK's). */
function counter(start: { height: number; hash: string }): ChainListener & { blocks: number; txs: number } {
  let best = start;
  const c = {
    blocks: 0,
    txs: 0,
    bestBlock: () => best,
    blockConnected: (b: ChainBlock) => {
      best = { height: b.height, hash: b.hash };
      c.blocks++;
      c.txs += b.txs.length;
    },
    blocksDisconnected: () => {
      throw new Error('no reorganisation expected in the benchmark');
    },
  };
  return c;
}

const bcoin = await BcoinNode.start();
const chain = await BitcoindRpcChain.connect({ url: bcoin.url, network: 'regtest', log: () => {} });
try {
  const script = Uint8Array.of(0x00, 0x14, ...new Uint8Array(20).fill(7));
  const t0 = performance.now();
  await bcoin.mine(BLOCKS, script);
  console.log(`bcoin regtest: mined ${BLOCKS} blocks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const genesis = { height: 0, hash: (await chain.hashAt(0))! };

  const bare: number[] = [];
  const followed: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    let bytes = 0;
    for (let h = 1; h <= BLOCKS; h++) {
      const hash = (await chain.rpc.call('getblockhash', [h])) as string;
      bytes += ((await chain.rpc.call('getblock', [hash, 0])) as string).length / 2;
    }
    bare.push(performance.now() - t);

    const listener = counter(genesis);
    t = performance.now();
    const r = await new ChainFollower({ source: chain, listener }).sync();
    followed.push(performance.now() - t);
    if (r.height !== BLOCKS || listener.blocks !== BLOCKS) throw new Error(`follower stopped at ${r.height}`);
    console.log(
      `run ${run + 1}: bare getblock loop ${bare[run].toFixed(0)} ms (${bytes} bytes), follower ${followed[run].toFixed(0)} ms`,
    );
  }
  const b = median(bare);
  const f = median(followed);
  console.log(`\ncatch-up of ${BLOCKS} blocks (median of ${RUNS})`);
  console.log(`  bare getblockhash + getblock loop: ${b.toFixed(0)} ms, ${((BLOCKS / b) * 1000).toFixed(0)} blocks/s`);
  console.log(`  ChainFollower (checked, pipelined): ${f.toFixed(0)} ms, ${((BLOCKS / f) * 1000).toFixed(0)} blocks/s`);
  console.log(`  ratio follower / bare: ${(f / b).toFixed(2)}x (goal <= 1.3x)`);

  // Idle: the default poll interval, a subscribed follower, no new blocks.
  await chain.close();
  const idle = await BitcoindRpcChain.connect({ url: bcoin.url, network: 'regtest', log: () => {} });
  const listener = counter({ height: BLOCKS, hash: (await idle.hashAt(BLOCKS))! });
  const follower = new ChainFollower({ source: idle, listener });
  idle.subscribe(() => void follower.sync());
  await follower.sync();
  const measure = async (): Promise<number> => {
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / 1000 / (performance.now() - w0);
  };
  const share = await measure();
  await idle.close();
  // Baseline: the least a poller can do, one bare `getbestblockhash` every 2 s on the same client code.
  const bareClient = new BitcoindRpcClient({ url: bcoin.url });
  const timer = setInterval(() => void bareClient.call('getbestblockhash').catch(() => {}), 2000);
  const bareShare = await measure();
  clearInterval(timer);
  bareClient.close();
  console.log(`\nidle, synced, polling every 2 s, ${IDLE_SECONDS} s windows (this process's CPU / wall time)`);
  console.log(`  BitcoindRpcChain + subscribed follower: ${(share * 100).toFixed(2)}% of one core (goal < 1%)`);
  console.log(`  bare getbestblockhash every 2 s:        ${(bareShare * 100).toFixed(2)}% of one core`);
  console.log(`  ratio: ${(share / bareShare).toFixed(2)}x`);
} finally {
  await chain.close();
  await bcoin.stop();
}
