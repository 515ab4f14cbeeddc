// Keeps the benchmark harness from rotting: renders synthetic results, runs one very short load against the
// fake upstream in-process, and checks the argument parser. It asserts shapes and correctness only, never speed.

import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The harness is plain ESM JavaScript (it runs from the built packages without a compile step), so it is
// loaded with a computed specifier and typed here by the few members the test uses.
const harness = (file: string): Promise<unknown> => import(new URL(`../${file}`, import.meta.url).href);

interface Summary {
  count: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  min_ms: number;
  max_ms: number;
}
interface Stats {
  percentile(samples: number[], p: number): number;
  summarize(samples: number[]): Summary;
  ratio(value: number | undefined, baseline: number | undefined): number;
  added(value: number | undefined, baseline: number | undefined): number;
}
interface Svg {
  niceTicks(max: number, count?: number): number[];
  escapeXml(text: string): string;
  groupedBarChart(input: Record<string, unknown>): string;
  lineChart(input: Record<string, unknown>): string;
}
interface Markdown {
  renderMarkdown(results: unknown): string;
  renderCharts(results: unknown): Record<string, string>;
  headline(results: unknown): Record<string, number>;
  phaseRssTable(results: unknown): string[];
}
interface PhaseRss {
  service: string;
  phase: string;
  rss_start_mb: number;
  rss_peak_mb: number;
  rss_peak_file_mb: number;
}
interface Processes {
  rssByPhase(pids: Record<string, number>): {
    idle(): void;
    measure<T>(phase: string, body: () => Promise<T>, services?: string[]): Promise<T>;
    rows(): PhaseRss[];
  };
}
interface FakeUpstream {
  url: string;
  port: number;
  counters(): { requests: number; streams: number };
  close(): Promise<void>;
}
interface Upstream {
  startFakeUpstream(options?: Record<string, number>): Promise<FakeUpstream>;
  STREAM_TEXT: string;
  COMPLETION_TEXT: string;
}
interface HttpLoadResult {
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
  p50_ms: number;
  p99_ms: number;
}
interface StreamLoadResult {
  streams: number;
  failures: number;
  ttft_p50_ms: number;
  p50_ms: number;
}
interface Load {
  runHttpLoad(input: Record<string, unknown>): Promise<HttpLoadResult>;
  runStreamLoad(input: Record<string, unknown>): Promise<StreamLoadResult>;
  sequentialLatency(call: () => Promise<unknown>, options: { iterations: number }): Promise<Summary>;
  interleavedThroughput(
    paths: Array<[string, () => Promise<unknown>]>,
    options: {
      concurrency: number;
      durationS: number;
      rounds?: number;
      around?: (path: string, round: () => Promise<void>) => Promise<void>;
    },
  ): Promise<
    Map<
      string,
      { calls_per_s: number; completed: number; failures: number; duration_s: number; latency: Summary }
    >
  >;
  interleavedBlocks(
    paths: Array<[string, (i: number) => Promise<unknown>]>,
    options: { iterations: number; block?: number; onError?: (path: string, error: unknown) => void },
  ): Promise<Map<string, number[]>>;
}
interface Run {
  parseArgs(argv: string[]): {
    quick: boolean;
    only: string[];
    portkey: boolean;
    docs: boolean;
    upstreamDelayMs: number;
    router: { concurrency: number[]; durationS: number };
    tracing: { concurrency: number[]; durationS: number; mcp: { concurrency: number[] } };
  };
}
interface OtlpSink {
  endpoint: string;
  spans(serviceName: string): number;
  exports(): number;
  rejected(): number;
  close(): Promise<void>;
}
interface Sink {
  startOtlpSink(): Promise<OtlpSink>;
  countSpans(request: unknown): Map<string, number>;
}

const load = async () => ({
  stats: (await harness('stats.mjs')) as Stats,
  svg: (await harness('svg.mjs')) as Svg,
  markdown: (await harness('markdown.mjs')) as Markdown,
  upstream: (await harness('fake-upstream.mjs')) as Upstream,
  loadgen: (await harness('load.mjs')) as Load,
  run: (await harness('run.mjs')) as Run,
  sink: (await harness('otlp-sink.mjs')) as Sink,
  processes: (await harness('processes.mjs')) as Processes,
});
let mods: Awaited<ReturnType<typeof load>>;

/** A complete results object in the documented shape, with made-up figures. */
function syntheticResults() {
  const router = [];
  for (const concurrency of [10, 50, 200]) {
    for (const [path, base] of [
      ['direct', 1],
      ['router-openai', 2],
      ['router-ask', 2.5],
      ['portkey', 4],
    ] as const) {
      router.push({
        path,
        stream: false,
        concurrency,
        rps: 1000 / base,
        p50_ms: base,
        p90_ms: base * 2,
        p99_ms: base * 4,
        ...(path === 'direct' ? {} : { cpu_ms_per_req: 0.3 }),
      });
    }
  }
  router.push(
    {
      path: 'direct',
      stream: true,
      concurrency: 10,
      rps: 300,
      p50_ms: 12,
      p90_ms: 13,
      p99_ms: 15,
      ttft_p50_ms: 1,
      ttft_p99_ms: 2,
    },
    {
      path: 'portkey',
      stream: true,
      concurrency: 10,
      rps: Number.NaN,
      p50_ms: Number.NaN,
      p90_ms: Number.NaN,
      p99_ms: Number.NaN,
      error: 'HTTP 500',
    },
  );
  const mcp = ['lookup_subscriber', 'get_subscriber', 'create_balance'].flatMap((operation) => [
    { path: 'direct-rest', operation, calls_per_s: 2000, p50_ms: 0.5, p99_ms: 2 },
    { path: 'mcp-http', operation, calls_per_s: 900, p50_ms: 1.5, p99_ms: 4 },
    { path: 'mcp-stdio', operation, calls_per_s: 1200, p50_ms: 1, p99_ms: 3 },
    {
      path: 'mcp-http-wire',
      operation,
      calls_per_s: 1100,
      p50_ms: 0.9,
      p99_ms: 3,
      server_cpu_ms_per_call: 0.4,
    },
    {
      path: 'node-floor',
      operation,
      calls_per_s: 1500,
      p50_ms: 0.7,
      p99_ms: 2,
      server_cpu_ms_per_call: 0.25,
    },
    {
      path: 'stdio-floor',
      operation,
      calls_per_s: 1600,
      p50_ms: 0.6,
      p99_ms: 2,
      server_cpu_ms_per_call: 0.2,
    },
  ]);
  return {
    machine: {
      cpu: 'Test CPU <fast & "cheap">',
      cores: 2,
      memory_gb: 4,
      node: 'v20',
      os: 'Linux',
      date: '2026-01-01',
      git_commit: 'abc',
    },
    command: 'npm run bench',
    router,
    mcp,
    emulator: {
      concurrency: 10,
      seeded_subscribers: 5,
      read: { request: 'GET /x', rps: 5000, p50_ms: 1, p90_ms: 2, p99_ms: 3, non2xx: 0 },
    },
    footprint: {
      router: {
        cold_start_ms: 300,
        cold_start_runs_ms: [290, 300, 310],
        rss_idle_mb: 60,
        rss_peak_mb: 90,
        install_size_mb: 50,
      },
      emulator: { error: 'did not start' },
    },
    tracing: {
      rows: [
        tracingRow(
          'router',
          'router-openai',
          10,
          { p50: 2, p99: 5, cpu: 0.3 },
          { p50: 2.3, p99: 6, cpu: 0.39 },
        ),
        tracingRow(
          'router',
          'router-openai',
          50,
          { p50: 8, p99: 20, cpu: 0.28 },
          { p50: 9, p99: 24, cpu: 0.35 },
        ),
        tracingRow(
          'router',
          'router-ask',
          10,
          { p50: 2.5, p99: 6, cpu: 0.35 },
          { p50: 2.9, p99: 7, cpu: 0.45 },
        ),
        tracingRow(
          'mcp-server',
          'mcp-get_subscriber',
          1,
          { p50: 1, p99: 2, cpu: 0.5 },
          { p50: 1.2, p99: 2.5, cpu: 0.6 },
        ),
      ],
      spans: {
        router: { spans: 4000, requests: 2000, per_request: 2 },
        'mcp-server': { spans: 1200, requests: 600, per_request: 2 },
      },
    },
    footprint_phases: [
      { service: 'router', phase: 'idle', rss_start_mb: 61, rss_peak_mb: 61, rss_peak_file_mb: 40 },
      {
        service: 'router',
        phase: '/v1/chat/completions c=200',
        rss_start_mb: 70.2,
        rss_peak_mb: 96.4,
        rss_peak_file_mb: 41,
      },
      { service: 'emulator', phase: 'seeding', rss_start_mb: 80, rss_peak_mb: 104.5, rss_peak_file_mb: 42 },
    ],
    notes: ['a note'],
    elapsed_s: 12,
  };
}

/** One tracing comparison row, derived the way bench/scenarios/tracing.mjs derives it. */
function tracingRow(
  service: string,
  path: string,
  concurrency: number,
  untraced: { p50: number; p99: number; cpu: number },
  traced: { p50: number; p99: number; cpu: number },
) {
  const sideOf = (v: { p50: number; p99: number; cpu: number }) => ({
    rps: 1000 / v.p50,
    p50_ms: v.p50,
    p99_ms: v.p99,
    cpu_ms_per_req: v.cpu,
    requests: 1000,
  });
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  return {
    service,
    path,
    concurrency,
    untraced: sideOf(untraced),
    traced: sideOf(traced),
    added_p50_ms: r3(traced.p50 - untraced.p50),
    added_p99_ms: r3(traced.p99 - untraced.p99),
    p50_ratio: r3(traced.p50 / untraced.p50),
    p99_ratio: r3(traced.p99 / untraced.p99),
    cpu_ratio: r3(traced.cpu / untraced.cpu),
  };
}

beforeAll(async () => {
  mods = await load();
});

describe('stats', () => {
  it('interpolates percentiles and summarises samples', () => {
    const { stats } = mods;
    expect(stats.percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(stats.percentile([5], 99)).toBe(5);
    expect(Number.isNaN(stats.percentile([], 50))).toBe(true);
    const summary = stats.summarize([3, 1, 2, 100]);
    expect(summary).toMatchObject({ count: 4, min_ms: 1, max_ms: 100, p50_ms: 2.5 });
    expect(summary.p99_ms).toBeGreaterThan(summary.p90_ms);
  });

  it('gives NaN for a ratio or difference against a missing baseline', () => {
    const { stats } = mods;
    expect(stats.ratio(10, 4)).toBe(2.5);
    expect(Number.isNaN(stats.ratio(10, 0))).toBe(true);
    expect(Number.isNaN(stats.added(3, undefined))).toBe(true);
    expect(stats.added(3, 1.25)).toBe(1.75);
  });
});

describe('svg and markdown rendering', () => {
  it('draws charts as well-formed, escaped SVG', () => {
    const { svg } = mods;
    expect(svg.niceTicks(87)).toEqual([0, 20, 40, 60, 80, 100]);
    const logBars = svg.groupedBarChart({
      title: 'log',
      yLabel: 'ms',
      groups: ['fast', 'slow'],
      series: ['p50'],
      values: [[0.4], [1500]],
      logScale: true,
    });
    expect(logBars).toContain('>0.1<');
    expect(logBars).toContain('>10k<');
    expect(svg.escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
    const bars = svg.groupedBarChart({
      title: 'T <1>',
      yLabel: 'ms',
      groups: ['a', 'b'],
      series: ['p50', 'p99'],
      values: [
        [1, 2],
        [Number.NaN, 3],
      ],
    });
    expect(bars.startsWith('<svg')).toBe(true);
    expect(bars.trim().endsWith('</svg>')).toBe(true);
    expect(bars).toContain('T &lt;1&gt;');
    expect(bars.match(/<rect x=/g)?.length).toBeGreaterThanOrEqual(3);
    const lines = svg.lineChart({
      title: 'rps',
      xLabel: 'c',
      yLabel: 'req/s',
      xValues: [10],
      series: [{ name: 'direct', points: [{ x: 10, y: 5 }] }],
    });
    expect(lines).toContain('<circle');
  });

  it('renders every section, the ratios and the charts from a results object', () => {
    const { markdown } = mods;
    const results = syntheticResults();
    const page = markdown.renderMarkdown(results);
    for (const heading of [
      '## Machine',
      '## Router overhead',
      '## Streaming',
      '## MCP overhead',
      '## Emulator',
      '## Footprint',
      '## How to read this',
    ]) {
      expect(page).toContain(heading);
    }
    expect(page).toContain('npm run bench');
    expect(page).toContain('failed: HTTP 500');
    expect(page).toContain('failed: did not start');
    expect(page).toContain('![Latency by path](bench/router-latency.svg)');
    const summary = markdown.headline(results);
    expect(summary.concurrency).toBe(50);
    expect(summary.router_openai_added_p50_ms).toBe(1);
    expect(summary.router_openai_rps_vs_portkey).toBe(2);
    expect(summary.mcp_http_added_p50_ms_get_subscriber).toBe(1);
    const charts = markdown.renderCharts(results);
    expect(Object.keys(charts).sort()).toEqual([
      'mcp-latency.svg',
      'router-cpu.svg',
      'router-latency.svg',
      'router-streaming.svg',
      'router-throughput.svg',
    ]);
  });

  it('judges the MCP targets on the raw client, with the SDK client and the Node floor beside them', () => {
    const page = mods.markdown.renderMarkdown(syntheticResults());
    const row = (target: string) => page.split('\n').find((l) => l.startsWith(`| ${target} |`));
    // mcp-http-wire adds 0.9 - 0.5 = 0.40 ms (met); the SDK client 1.5 - 0.5 = 1.00 ms (not met).
    expect(row('MCP HTTP adds < 1 ms p50 per OCS round trip, get_subscriber, c=1 (2025-11-25)')).toContain(
      '| 0.40 ms | yes |',
    );
    expect(
      row('(MCP HTTP adds < 1 ms p50 per OCS round trip, get_subscriber, c=1: 2025-11-25 SDK client)'),
    ).toContain('| 1.00 ms | **no** |');
    expect(row('(the Node floor, same OCS call, get_subscriber, c=1)')).toContain('| 0.20 ms | yes |');
    // Over stdio the Node floor is judged beside the stdio target: 0.6 - 0.5 = 0.10 ms.
    expect(row('(the Node floor over stdio, same OCS call, get_subscriber, c=1)')).toContain(
      '| 0.10 ms | yes |',
    );
    expect(page).toContain(
      '| 1 | get_subscriber | **node-floor** | 0.70 | 2.00 | +0.20 | +0.00 | 1500 | 0.75× | 0.250 |',
    );
  });

  it('renders the tracing cost: added latency and CPU ratios per path, the spans exported, a summary line', () => {
    const { markdown } = mods;
    const results = syntheticResults();
    const page = markdown.renderMarkdown(results);
    const section = page.slice(page.indexOf('## Tracing cost'), page.indexOf('## Emulator'));
    expect(section).toContain('## Tracing cost');
    const line = (label: string, concurrency: number) =>
      section.split('\n').find((l) => l.startsWith(`| **${label}** | ${concurrency} |`));
    // router /v1/chat/completions at 10: p50 2 → 2.3 (+0.30 ms, 1.15×), p99 5 → 6 (+1.00 ms, 1.20×), CPU 1.30×.
    expect(line('router `/v1/chat/completions`', 10)).toBe(
      '| **router `/v1/chat/completions`** | 10 | 2.00 → 2.30 | +0.30 ms (1.15×) | 5.00 → 6.00 | +1.00 ms (1.20×) | 0.300 → 0.390 | 1.30× |',
    );
    expect(line('router `/v1/chat/completions`', 50)).toContain('+1.00 ms (1.13×)');
    expect(line('router `/ask`', 10)).toContain('+0.40 ms (1.16×)');
    expect(line('MCP server get_subscriber (Streamable HTTP)', 1)).toContain('+0.20 ms (1.20×)');
    expect(section).toContain('router 4000 for 2000 requests (2.00 per request)');
    // The summary quotes the lightest level of each path.
    const summary = markdown.headline(results);
    expect(summary.tracing_router_openai_concurrency).toBe(10);
    expect(summary.tracing_router_openai_added_p50_ms).toBeCloseTo(0.3, 6);
    expect(summary.tracing_mcp_get_subscriber_concurrency).toBe(1);
    expect(page).toContain('Tracing on at 100 % sampling (OTLP/HTTP export) adds +0.30 ms at p50');

    // Results from before the tracing scenario existed render without the section or the summary line.
    const { tracing: _omitted, ...older } = results;
    const olderPage = markdown.renderMarkdown(older);
    expect(olderPage).not.toContain('## Tracing cost');
    expect(olderPage).not.toContain('Tracing on at 100 %');
    expect(Number.isNaN(markdown.headline(older).tracing_router_openai_added_p50_ms)).toBe(true);
  });
});

describe('OTLP sink of the tracing scenario', () => {
  it('answers a real OTLP/HTTP exporter with 200 and counts its spans by service.name', async () => {
    const { sink } = mods;
    const receiver = await sink.startOtlpSink();
    // The project's own tracing entry, exporting as a traced service does.
    const telemetry = (await import('@ocsai/telemetry')) as typeof import('@ocsai/telemetry');
    const tracing = await telemetry.startTracing({
      serviceName: 'bench-probe',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_TRACES_SAMPLER: 'always_on' },
    });
    try {
      expect(tracing.enabled).toBe(true);
      telemetry.withSpan('outer', {}, () => telemetry.withSpan('inner', {}, () => undefined));
      telemetry.withSpan('another', {}, () => undefined);
      await tracing.forceFlush();
      expect(receiver.spans('bench-probe')).toBe(3);
      expect(receiver.spans('someone-else')).toBe(0);
      expect(receiver.exports()).toBeGreaterThanOrEqual(1);
      // Anything that is not an OTLP/JSON trace export is refused, not counted.
      const wrong = await fetch(`${receiver.endpoint}/v1/traces`, { method: 'POST', body: '{"spans":[]}' });
      expect(wrong.status).toBe(400);
      expect(receiver.rejected()).toBe(1);
    } finally {
      await tracing.shutdown();
      await receiver.close();
    }
  });

  it('counts spans per resource in one export request', () => {
    const { sink } = mods;
    const resource = (name: string) => ({
      attributes: [{ key: 'service.name', value: { stringValue: name } }],
    });
    const counts = sink.countSpans({
      resourceSpans: [
        { resource: resource('a'), scopeSpans: [{ spans: [{}, {}] }, { spans: [{}] }] },
        { resource: resource('b'), scopeSpans: [{ spans: [{}] }] },
        { resource: resource('a'), scopeSpans: [] },
      ],
    });
    expect(Object.fromEntries(counts)).toEqual({ a: 3, b: 1 });
    expect(() => sink.countSpans({})).toThrow(/resourceSpans/);
  });
});

describe('RSS per scenario', () => {
  it('lists every service and phase with its starting and peak RSS against the 100 MB target', () => {
    const lines = mods.markdown.phaseRssTable(syntheticResults());
    expect(lines[0]).toBe('### RSS per scenario');
    const rows = lines
      .join('\n')
      .split('\n')
      .filter((line: string) => line.startsWith('| **'));
    expect(rows).toEqual([
      '| **router** | idle | 61.0 |  | 40.0 | yes |',
      '| **router** | /v1/chat/completions c=200 | 70.2 | 96.4 | 41.0 | yes |',
      '| **emulator** | seeding | 80.0 | 104.5 | 42.0 | no |',
    ]);
    expect(mods.markdown.renderMarkdown(syntheticResults())).toContain('### RSS per scenario');
    expect(mods.markdown.phaseRssTable({ ...syntheticResults(), footprint_phases: [] })).toEqual([]);
  });

  it('samples each phase of each process: idle, then its first start and highest peak over rounds', async () => {
    const rss = mods.processes.rssByPhase({ self: process.pid, other: process.pid });
    rss.idle();
    const held: Buffer[] = [];
    await rss.measure('grow', async () => {
      // 64 MiB touched, so the peak sample must exceed the phase's start.
      held.push(Buffer.alloc(64 * 1024 * 1024, 1));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }, ['self']);
    await rss.measure('grow', async () => {}, ['self']);
    const rows = rss.rows();
    expect(rows.map((r) => `${r.service}:${r.phase}`)).toEqual(['self:idle', 'self:grow', 'other:idle']);
    const grow = rows[1] as PhaseRss;
    expect(grow.rss_peak_mb - grow.rss_start_mb).toBeGreaterThan(32);
    expect(held[0]?.length).toBe(64 * 1024 * 1024);
  });
});

describe('load generators against the fake upstream', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await mods.upstream.startFakeUpstream({ chunkIntervalMs: 1 });
  });
  afterAll(async () => {
    await upstream?.close();
  });

  it('serves a chat completion and a complete SSE stream', async () => {
    const plain = await fetch(`${upstream.url}/chat/completions`, { method: 'POST', body: '{"model":"m"}' });
    const body = (await plain.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe(mods.upstream.COMPLETION_TEXT);
    const streamed = await fetch(`${upstream.url}/chat/completions`, {
      method: 'POST',
      body: '{"stream":true}',
    });
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    const text = await streamed.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));
    expect(chunks.at(-1).choices).toEqual([]);
    expect(chunks.at(-1).usage.total_tokens).toBe(33);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(mods.upstream.STREAM_TEXT);
    const missing = await fetch(`${upstream.url.replace('/v1', '')}/nope`);
    expect(missing.status).toBe(404);
  });

  it('runs a short autocannon load and a streaming loop without errors', async () => {
    const result = await mods.loadgen.runHttpLoad({
      url: `${upstream.url}/chat/completions`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"m"}',
      connections: 2,
      durationS: 1,
    });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.non2xx).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.p99_ms).toBeGreaterThanOrEqual(result.p50_ms);

    const stream = await mods.loadgen.runStreamLoad({
      url: `${upstream.url}/chat/completions`,
      headers: { 'content-type': 'application/json' },
      body: '{"stream":true}',
      concurrency: 2,
      durationS: 0.5,
      isFirstToken: (text: string) => text.includes('Subscriber'),
    });
    expect(stream.streams).toBeGreaterThan(0);
    expect(stream.failures).toBe(0);
    expect(stream.p50_ms).toBeGreaterThanOrEqual(stream.ttft_p50_ms);
    expect(upstream.counters().streams).toBeGreaterThan(0);

    const sequential = await mods.loadgen.sequentialLatency(
      () => fetch(`${upstream.url.replace('/v1', '')}/health`).then((r) => r.text()),
      {
        iterations: 5,
      },
    );
    expect(sequential.count).toBe(5);
  });

  it('takes one call at a time, the paths in turn in blocks, the order reversed every other round', async () => {
    const order: string[] = [];
    const errors: Array<[string, string]> = [];
    const path = (name: string) => async (i: number) => {
      order.push(`${name}${i}`);
      if (name === 'b' && i === 3) throw new Error('refused');
    };
    let inFlight = 0;
    let most = 0;
    const counted = (inner: (i: number) => Promise<void>) => async (i: number) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        await inner(i);
      } finally {
        inFlight -= 1;
      }
    };
    const samples = await mods.loadgen.interleavedBlocks(
      [
        ['a', counted(path('a'))],
        ['b', counted(path('b'))],
        ['c', counted(path('c'))],
      ],
      { iterations: 5, block: 2, onError: (name, error) => errors.push([name, (error as Error).message]) },
    );
    expect(order.join(' ')).toBe('a0 a1 b0 b1 c0 c1 c2 c3 b2 b3 a2 a3 a4 b4 c4');
    expect(most).toBe(1);
    expect(errors).toEqual([['b', 'refused']]);
    expect([...samples].map(([name, s]) => [name, s.length])).toEqual([
      ['a', 5],
      ['b', 4],
      ['c', 5],
    ]);
    for (const s of samples.values()) for (const ms of s) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('runs closed loops in rounds, the paths in turn, the order reversed every other round, rounds merged', async () => {
    const turns: string[] = [];
    const roundSeconds: number[] = [];
    let inFlight = 0;
    let most = 0;
    const path = (name: string) => async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      if (name === 'b') throw new Error('refused');
    };
    const results = await mods.loadgen.interleavedThroughput(
      [
        ['a', path('a')],
        ['b', path('b')],
        ['c', path('c')],
      ],
      {
        concurrency: 3,
        durationS: 0.12,
        rounds: 3,
        around: async (name, round) => {
          const before = inFlight;
          const started = performance.now();
          await round();
          if (name === 'a') roundSeconds.push((performance.now() - started) / 1000);
          turns.push(name);
          // A round ends with its own calls finished: nothing of it overlaps the next path's round.
          expect(inFlight).toBe(before);
        },
      },
    );
    expect(turns.join(' ')).toBe('a b c c b a a b c');
    expect(most).toBe(3);
    const a = results.get('a');
    const b = results.get('b');
    // Three rounds of 0.04 s each (not three of the whole 0.12 s: the shortest of them is under it), merged:
    // the path's seconds are its three rounds', and its calls/s are over those seconds (within the rounding
    // of duration_s to the millisecond, under 0.5 % here).
    expect(roundSeconds).toHaveLength(3);
    expect(Math.min(...roundSeconds)).toBeGreaterThanOrEqual(0.04);
    expect(Math.min(...roundSeconds)).toBeLessThan(0.12);
    expect(a?.duration_s).toBeGreaterThanOrEqual(0.12);
    expect(a?.completed).toBe(a?.latency.count);
    const callsPerS = (a?.completed ?? 0) / (a?.duration_s ?? 1);
    expect(Math.abs((a?.calls_per_s ?? 0) - callsPerS)).toBeLessThan(callsPerS * 0.01);
    expect(a?.failures).toBe(0);
    expect(b?.completed).toBe(0);
    expect(b?.failures).toBeGreaterThan(0);
    for (const result of results.values()) expect(result.latency.count).toBe(result.completed);
  });
});

describe('command line', () => {
  it('parses the quick profile and rejects unknown flags and scenarios', () => {
    const { run } = mods;
    const quick = run.parseArgs(['--quick', '--only=router,mcp', '--no-portkey', '--upstream-delay-ms=5']);
    expect(quick).toMatchObject({
      quick: true,
      only: ['router', 'mcp'],
      portkey: false,
      docs: false,
      upstreamDelayMs: 5,
    });
    expect(quick.router.concurrency).toEqual([10]);
    expect(run.parseArgs([]).router.concurrency).toEqual([10, 50, 200]);
    expect(() => run.parseArgs(['--fast'])).toThrow(/unknown flag/);
    expect(() => run.parseArgs(['--only=gpu'])).toThrow(/unknown scenario/);
    const tracing = run.parseArgs(['--quick', '--only=tracing']);
    expect(tracing.only).toEqual(['tracing']);
    expect(tracing.tracing.concurrency).toEqual([10]);
    expect(tracing.tracing.mcp.concurrency).toEqual([1, 10]);
    expect(run.parseArgs([]).only).toContain('tracing');
    expect(run.parseArgs([]).tracing.concurrency).toEqual([10, 50]);
    expect(() => run.parseArgs(['--duration=-1'])).toThrow(/non-negative/);
  });

  it('spawns the entry point that each package bin runs', () => {
    for (const name of ['router', 'mcp-server', 'emulator']) {
      const dir = new URL(`../../packages/${name}/`, import.meta.url);
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        bin: Record<string, string>;
      };
      const [shim] = Object.values(pkg.bin);
      expect(existsSync(new URL(shim!, dir))).toBe(true);
      // The committed shim loads dist/bin.js, or (mcp-server) the self-contained bundle built from it.
      expect(readFileSync(new URL(shim!, dir), 'utf8')).toMatch(/new URL\('\.\.\/(dist|bundle)\/bin\.js'/);
    }
  });
});

describe('MCP profile stages', () => {
  type Frame = { functionName: string; url: string };
  interface Profile {
    stageOf(stack: Frame[]): string | undefined;
  }
  const f = (functionName: string, url: string): Frame => ({ functionName, url });
  const sdk = 'file:///r/node_modules/@modelcontextprotocol/server/dist/index.mjs';
  const zod = 'file:///r/node_modules/zod/v4/core/schemas.js';

  it('charges each sample to the stage its stack belongs to', async () => {
    const { stageOf } = (await harness('profile.mjs')) as Profile;
    expect(stageOf([f('parse', zod), f('validateToolInput', sdk), f('handle', sdk)])).toBe(
      'input-schema-validation',
    );
    expect(stageOf([f('parse', zod), f('validateToolOutput', sdk)])).toBe('output-schema-validation');
    expect(stageOf([f('parse', zod), f('classifyInboundRequest', sdk)])).toBe('jsonrpc-validation');
    expect(stageOf([f('write', 'file:///r/node_modules/pino/lib/proto.js'), f('run', sdk)])).toBe('logging');
    expect(stageOf([f('registerTool', sdk), f('fetchFace', sdk)])).toBe('per-request-server-transport');
    expect(
      stageOf([
        f('writeGeneric', 'node:internal/stream_base_commons'),
        f('write', 'file:///r/node_modules/undici/lib/x.js'),
      ]),
    ).toBe('ocs-round-trip');
    expect(
      stageOf([
        f('Request', 'node:internal/deps/undici/undici'),
        f('toWebRequest', 'file:///r/node_modules/@modelcontextprotocol/node/dist/index.mjs'),
      ]),
    ).toBe('node-web-conversion');
    expect(stageOf([f('(garbage collector)', '')])).toBe('gc');
    expect(stageOf([f('compileSourceTextModule', 'node:internal/modules/esm/utils')])).toBeUndefined();
  });
});
