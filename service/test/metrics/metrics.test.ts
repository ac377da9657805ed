import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import {
  BUY_RESULTS,
  GET_INFO_RESULTS,
  ONION_DROP_REASONS,
  SESSION_STATES,
  ServiceMetrics,
} from '../../src/metrics/metrics.js';

/** The value of one sample line `name{labels} value` in the exposition, or undefined. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const ownMetrics = (m: ServiceMetrics) =>
  m.registry
    .getMetricsAsArray()
    .filter((x) => !x.name.startsWith('jitlsp_process_') && !x.name.startsWith('jitlsp_nodejs_'));

describe('service metrics (prom-client)', () => {
  it('names every metric with the jitlsp_ prefix, counters with _total, and help as a sentence', () => {
    const m = new ServiceMetrics({ processMetrics: false });
    const all = m.registry.getMetricsAsArray();
    expect(all.length).to.be.at.least(16);
    for (const x of all) {
      expect(x.name).to.match(/^jitlsp_[a-z0-9_]+$/);
      const help = (x as unknown as { help: string }).help;
      expect(help, x.name).to.match(/^[A-Z].*\.$/);
      if ((x as unknown as { type: string }).type === 'counter') expect(x.name).to.match(/_total$/);
    }
  });

  it('exposes every labelled series at 0 before any event', async () => {
    const m = new ServiceMetrics({ processMetrics: false });
    const { body, contentType } = await m.exposition();
    expect(contentType).to.match(/^text\/plain/);
    for (const r of GET_INFO_RESULTS)
      expect(sample(body, `jitlsp_lsps2_get_info_requests_total{result="${r}"}`), r).to.equal(0);
    for (const r of BUY_RESULTS) expect(sample(body, `jitlsp_lsps2_buy_requests_total{result="${r}"}`), r).to.equal(0);
    for (const s of SESSION_STATES) expect(sample(body, `jitlsp_lsps2_sessions{state="${s}"}`), s).to.equal(0);
    for (const r of ONION_DROP_REASONS)
      expect(sample(body, `jitlsp_onion_messages_dropped_total{reason="${r}"}`), r).to.equal(0);
    expect(sample(body, 'jitlsp_htlcs_failed_total{code="unknown_next_peer"}')).to.equal(0);
    expect(sample(body, 'jitlsp_channels_opened_total{mode="no_mpp",trust_model="client-trusts-lsp"}')).to.equal(0);
    expect(sample(body, 'jitlsp_channel_open_failures_total{reason="client_rejected"}')).to.equal(0);
    expect(sample(body, 'jitlsp_opening_fees_collected_msat_total')).to.equal(0);
    expect(sample(body, 'jitlsp_first_htlc_to_channel_ready_seconds_count')).to.equal(0);
    expect(sample(body, 'jitlsp_node_wasm_memory_bytes')).to.equal(0);
    expect(sample(body, 'jitlsp_node_peers')).to.equal(0);
  });

  it('counts events under the right labels', async () => {
    const m = new ServiceMetrics({ processMetrics: false });
    m.getInfo('ok');
    m.getInfo('ok');
    m.buy('payment_size_too_large');
    m.htlcIntercepted();
    m.htlcFailed('temporary_channel_failure');
    m.channelOpened('mpp', 'lsp-trusts-client');
    m.channelOpenFailed('client_disconnected');
    m.openingFeeCollected(2_000_000n);
    m.openingFeeCollected(546_000n);
    m.onionMessageIntercepted();
    m.onionMessageHeld();
    m.onionMessagesDelivered(3);
    m.onionMessageDropped('unregistered_peer');
    const { body } = await m.exposition();
    expect(sample(body, 'jitlsp_lsps2_get_info_requests_total{result="ok"}')).to.equal(2);
    expect(sample(body, 'jitlsp_lsps2_buy_requests_total{result="payment_size_too_large"}')).to.equal(1);
    expect(sample(body, 'jitlsp_lsps2_buy_requests_total{result="ok"}')).to.equal(0);
    expect(sample(body, 'jitlsp_htlcs_intercepted_total')).to.equal(1);
    expect(sample(body, 'jitlsp_htlcs_failed_total{code="temporary_channel_failure"}')).to.equal(1);
    expect(sample(body, 'jitlsp_channels_opened_total{mode="mpp",trust_model="lsp-trusts-client"}')).to.equal(1);
    expect(sample(body, 'jitlsp_channel_open_failures_total{reason="client_disconnected"}')).to.equal(1);
    expect(sample(body, 'jitlsp_opening_fees_collected_msat_total')).to.equal(2_546_000);
    expect(sample(body, 'jitlsp_onion_messages_intercepted_total')).to.equal(1);
    expect(sample(body, 'jitlsp_onion_messages_held_total')).to.equal(1);
    expect(sample(body, 'jitlsp_onion_messages_delivered_total')).to.equal(3);
    expect(sample(body, 'jitlsp_onion_messages_dropped_total{reason="unregistered_peer"}')).to.equal(1);
  });

  it('observes the first-HTLC latencies from the injected clock into the histograms', async () => {
    const m = new ServiceMetrics({ processMetrics: false });
    const t0 = new Date('2026-01-01T00:00:00Z');
    m.channelReadyAfterFirstHtlc(t0, new Date(t0.getTime() + 1500));
    m.paymentForwardedAfterFirstHtlc(t0, new Date(t0.getTime() + 4000));
    const { body } = await m.exposition();
    expect(sample(body, 'jitlsp_first_htlc_to_channel_ready_seconds_sum')).to.equal(1.5);
    expect(sample(body, 'jitlsp_first_htlc_to_channel_ready_seconds_bucket{le="1"}')).to.equal(0);
    expect(sample(body, 'jitlsp_first_htlc_to_channel_ready_seconds_bucket{le="2"}')).to.equal(1);
    expect(sample(body, 'jitlsp_first_htlc_to_payment_forwarded_seconds_sum')).to.equal(4);
  });

  it('reads sessions by state and the node gauges from their sources at scrape time', async () => {
    const m = new ServiceMetrics({ processMetrics: false });
    let peers = 2;
    m.setSessionCountSource(async () => ({ awaitingPayment: 3, done: 1 }));
    m.setNodeStatsSource(() => ({ wasmMemoryBytes: 64 * 1024 * 1024, peerCount: peers }));
    let { body } = await m.exposition();
    expect(sample(body, 'jitlsp_lsps2_sessions{state="awaitingPayment"}')).to.equal(3);
    expect(sample(body, 'jitlsp_lsps2_sessions{state="done"}')).to.equal(1);
    expect(sample(body, 'jitlsp_lsps2_sessions{state="closed"}')).to.equal(0);
    expect(sample(body, 'jitlsp_node_wasm_memory_bytes')).to.equal(67108864);
    expect(sample(body, 'jitlsp_node_peers')).to.equal(2);
    peers = 0;
    m.setSessionCountSource(() => ({}));
    ({ body } = await m.exposition());
    expect(sample(body, 'jitlsp_node_peers')).to.equal(0);
    expect(sample(body, 'jitlsp_lsps2_sessions{state="awaitingPayment"}')).to.equal(0);
  });

  it('keeps two instances apart (each daemon in a process has its own registry)', async () => {
    const a = new ServiceMetrics();
    const b = new ServiceMetrics();
    a.getInfo('ok');
    expect(sample((await b.exposition()).body, 'jitlsp_lsps2_get_info_requests_total{result="ok"}')).to.equal(0);
    expect((await a.exposition()).body).to.include('jitlsp_process_cpu_seconds_total');
  });

  it('documents every metric in the README "## Metrics" section', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.split(/^## /m).find((s) => s.startsWith('Metrics'));
    expect(section, 'the README has a "## Metrics" section').to.be.a('string');
    for (const x of ownMetrics(new ServiceMetrics({ processMetrics: false })))
      expect(section, x.name).to.include(`\`${x.name}\``);
  });
});
