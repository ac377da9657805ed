import { expect } from 'chai';
import { CONFIRMATION_BLOCKS, FeeEstimator, MalformedAnswerError, type ChainNetwork } from '../../src/chain/index.js';

/** estimatesmartfee answers by confirmation target, as bitcoind shapes them (BTC per kvB). */
function estimator(network: ChainNetwork, answers: Record<number, unknown>, ceilingSatPerKw?: number) {
  const asked: number[] = [];
  const fees = new FeeEstimator({
    network,
    ceilingSatPerKw,
    estimate: async (blocks) => {
      asked.push(blocks);
      return answers[blocks] ?? { errors: ['Insufficient data or no feerate found'], blocks };
    },
  });
  return { fees, asked };
}

describe('FeeEstimator: LDK confirmation targets from estimatesmartfee, cached', () => {
  it('converts BTC/kvB to sat per 1000 weight units for each target and asks once per distinct block target', async () => {
    const { fees, asked } = estimator('bitcoin', {
      1: { feerate: 0.0004 },
      6: { feerate: 0.0002 },
      12: { feerate: 0.0001 },
    });
    await fees.refresh();
    expect(fees.satPerKw('MaximumFeeEstimate')).to.equal(10_000); // 40 sat/vB
    expect(fees.satPerKw('UrgentOnChainSweep')).to.equal(5000);
    expect(fees.satPerKw('NonAnchorChannelFee')).to.equal(2500);
    expect(asked.sort((a, b) => a - b)).to.deep.equal(
      [...new Set(Object.values(CONFIRMATION_BLOCKS))].sort((a, b) => a - b),
    );
    expect(fees.hasEstimate()).to.equal(true);
  });

  it('never goes below LDK floor of 253 sat/kw nor above the ceiling', async () => {
    const { fees } = estimator('signet', { 1: { feerate: 0.05 }, 12: { feerate: 0.000001 } }, 20_000);
    await fees.refresh();
    expect(fees.satPerKw('MaximumFeeEstimate')).to.equal(20_000);
    expect(fees.satPerKw('NonAnchorChannelFee')).to.equal(253);
  });

  it('falls back per network when the node has no estimate (bitcoind errors, bcoin fee -1), and says so', async () => {
    const regtest = estimator('regtest', { 12: { fee: -1, blocks: 12 } });
    await regtest.fees.refresh();
    expect(regtest.fees.all().NonAnchorChannelFee).to.deep.equal({ satPerKw: 1000, estimated: false });
    const main = estimator('bitcoin', {});
    await main.fees.refresh();
    expect(main.fees.hasEstimate()).to.equal(false); // the chain source then refuses mainnet opens
    expect(main.fees.satPerKw('UrgentOnChainSweep')).to.be.greaterThan(regtest.fees.satPerKw('UrgentOnChainSweep'));
  });

  it('rejects a fee rate that is not a number as a malformed answer and keeps the previous rates', async () => {
    const answers: Record<number, unknown> = { 12: { feerate: 0.0001 } };
    const { fees } = estimator('bitcoin', answers);
    await fees.refresh();
    answers[12] = { feerate: '0.0001' };
    const err = await fees.refresh().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(MalformedAnswerError);
    expect(fees.satPerKw('NonAnchorChannelFee')).to.equal(2500);
  });
});
