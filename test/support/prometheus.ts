import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** The `prometheus` binary (Debian package `prometheus`, installed by .ci/run), or undefined. */
export function prometheusBinary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface ScrapeTarget {
  job: string;
  /** host:port */
  target: string;
  metricsPath?: string;
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface RunningPrometheus {
  url: string;
  /** An instant PromQL query over the HTTP API: the vector's samples. */
  query(promql: string): Promise<PromSample[]>;
  /** Polls query until check(samples) holds (scrapes land every second); rejects with the last answer. */
  waitFor(
    promql: string,
    check: (samples: PromSample[]) => boolean,
    timeoutMs?: number,
  ): Promise<PromSample[]>;
  /** Resolves after every target has been scraped once more, from now. */
  nextScrape(): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a real Prometheus on a free loopback port, scraping `targets` every second, with its TSDB
 * in a temporary folder; resolves once every target is up. stop() kills it and removes the folder.
 */
export async function startPrometheus(
  targets: ScrapeTarget[],
  timeoutMs = 30_000,
): Promise<RunningPrometheus> {
  const binary = prometheusBinary();
  if (!binary)
    throw new Error('prometheus is not installed (Debian package prometheus; .ci/run installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  // JSON is valid YAML: no YAML writer needed.
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
    scrape_configs: targets.map((t) => ({
      job_name: t.job,
      metrics_path: t.metricsPath ?? '/metrics',
      static_configs: [{ targets: [t.target] }],
    })),
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk) => {
    log = (log + String(chunk)).slice(-4000);
  });
  const exited = once(child, 'exit');

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  const query = async (promql: string): Promise<PromSample[]> => {
    const data = await api<{
      resultType: string;
      result: { metric: Record<string, string>; value: [number, string] }[];
    }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);
    if (data.resultType !== 'vector') throw new Error(`${promql}: expected a vector, got ${data.resultType}`);
    return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  const lastScrapes = async () =>
    (
      await api<{
        activeTargets: { health: string; lastScrape: string; lastError: string; scrapeUrl: string }[];
      }>('/api/v1/targets?state=active')
    ).activeTargets;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${log}`);
      if (Date.now() > deadline) throw new Error(`prometheus: targets not up in ${timeoutMs} ms: ${log}`);
      try {
        const active = await lastScrapes();
        if (active.length === targets.length && active.every((t) => t.health === 'up')) break;
      } catch {
        // Not listening yet.
      }
      await sleep(200);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    query,
    waitFor: async (promql, check, waitMs = 15_000) => {
      const until = Date.now() + waitMs;
      let last: PromSample[] = [];
      for (;;) {
        last = await query(promql);
        if (check(last)) return last;
        if (Date.now() > until)
          throw new Error(`${promql}: condition not met; last answer ${JSON.stringify(last)}`);
        await sleep(250);
      }
    },
    nextScrape: async () => {
      const since = Date.now();
      for (;;) {
        const active = await lastScrapes();
        if (active.every((t) => Date.parse(t.lastScrape) > since)) return;
        await sleep(200);
      }
    },
    stop,
  };
}
