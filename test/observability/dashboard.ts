import { readFileSync } from 'node:fs';

export const DASHBOARD_PATH = new URL('../../docs/grafana/ocs-ai.json', import.meta.url);

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string }[];
  panels?: Panel[];
}

export interface DashboardQuery {
  panel: string;
  expr: string;
}

/** Every PromQL expression of the Grafana dashboard, with the panel it belongs to. */
export function dashboardQueries(): DashboardQuery[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as { panels: Panel[] };
  const flat = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  return flat.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}

/** Grafana's interval variables, as a plain Prometheus query needs them. */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '5m');
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
]);

/** The metric names an expression reads, and the label names it groups or matches by. */
export function namesIn(expr: string): { metrics: string[]; labels: string[] } {
  const labels = new Set<string>();
  let rest = withoutGrafanaVariables(expr)
    .replace(/\b(by|without)\s*\(([^)]*)\)/g, (_m, _k, list: string) => {
      for (const l of list.split(',')) if (l.trim()) labels.add(l.trim());
      return ' ';
    })
    .replace(/\{([^}]*)\}/g, (_m, matchers: string) => {
      for (const m of matchers.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) labels.add(m[1]!);
      return ' ';
    })
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/"[^"]*"/g, ' ');
  const metrics = new Set<string>();
  for (const m of rest.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)) {
    if (m[2] || KEYWORDS.has(m[1]!)) continue;
    metrics.add(m[1]!);
  }
  rest = '';
  return { metrics: [...metrics], labels: [...labels] };
}
