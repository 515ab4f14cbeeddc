// Hand-written SVG charts (no chart library): a grouped bar chart and a line chart with a shared look.
// The output is plain, self-contained SVG 1.1 that GitHub renders inline from docs/*.md.

const PALETTE = ['#4C78A8', '#F58518', '#54A24B', '#E45756', '#72B7B2', '#B279A2', '#9D755D'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/** @param {string} text */
export function escapeXml(text) {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * Rounds an axis maximum up to 1, 2, 2.5 or 5 times a power of ten and returns evenly spaced ticks.
 * @param {number} max largest data value
 * @param {number} [count] wanted number of intervals
 * @returns {number[]} ticks from 0 to the rounded maximum
 */
export function niceTicks(max, count = 5) {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const rawStep = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rawStep) ?? 10) * magnitude;
  const ticks = [];
  for (let tick = 0; tick < max + step * 0.999; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

/**
 * Axis tick label: every tick of an axis gets the same number of decimals, chosen from the step.
 * @param {number} value
 * @param {number} step distance between ticks
 */
export function formatTick(value, step) {
  if (step >= 1)
    return value >= 10_000 && value % 1000 === 0 ? `${value / 1000}k` : String(Math.round(value));
  return value.toFixed(Math.min(6, Math.ceil(-Math.log10(step))));
}

/**
 * Powers of ten covering [min, max], e.g. 0.1, 1, 10, 100 for 0.4..57.
 * @param {number} min smallest positive value
 * @param {number} max largest value
 */
export function logTicks(min, max) {
  const low = Math.floor(Math.log10(min));
  const high = Math.max(low + 1, Math.ceil(Math.log10(max)));
  const ticks = [];
  for (let e = low; e <= high; e += 1) ticks.push(Number((10 ** e).toPrecision(12)));
  return ticks;
}

/** @param {number} value */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 10_000) return `${Math.round(value / 1000)}k`;
  if (abs >= 1000) return `${(value / 1000).toFixed(1)}k`;
  if (abs >= 100) return String(Math.round(value));
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/**
 * @param {number} width
 * @param {number} height
 * @param {string} title
 * @param {string} [subtitle]
 */
function frame(width, height, title, subtitle) {
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" ${FONT} font-size="16" font-weight="600" fill="#222">${escapeXml(title)}</text>`,
  ];
  if (subtitle) {
    lines.push(
      `<text x="${width / 2}" y="42" text-anchor="middle" ${FONT} font-size="12" fill="#555">${escapeXml(subtitle)}</text>`,
    );
  }
  return lines;
}

/**
 * @param {string[]} names
 * @param {number} x left edge
 * @param {number} y baseline of the legend row
 * @param {number} width available width (entries are centred)
 */
function legend(names, x, y, width) {
  const entryWidths = names.map((name) => 22 + name.length * 7 + 16);
  const total = entryWidths.reduce((sum, w) => sum + w, 0);
  let cursor = x + Math.max(0, (width - total) / 2);
  /** @type {string[]} */
  const parts = [];
  names.forEach((name, index) => {
    const color = PALETTE[index % PALETTE.length];
    parts.push(`<rect x="${cursor}" y="${y - 10}" width="14" height="12" rx="2" fill="${color}"/>`);
    parts.push(
      `<text x="${cursor + 20}" y="${y}" ${FONT} font-size="12" fill="#333">${escapeXml(name)}</text>`,
    );
    cursor += entryWidths[index] ?? 0;
  });
  return parts;
}

/**
 * @typedef {object} BarChartInput
 * @property {string} title
 * @property {string} [subtitle]
 * @property {string} yLabel axis label, e.g. "latency (ms)"
 * @property {string[]} groups one group of bars per entry (e.g. each path)
 * @property {string[]} series one bar per group per entry (e.g. p50, p90, p99)
 * @property {number[][]} values values[group][series]; NaN draws no bar
 * @property {boolean} [logScale] logarithmic y axis (powers of ten), for values spanning several decades
 * @property {number} [width]
 * @property {number} [height]
 */

/**
 * A grouped bar chart with value labels above each bar.
 * @param {BarChartInput} input
 * @returns {string}
 */
export function groupedBarChart(input) {
  const width = input.width ?? 760;
  const height = input.height ?? 420;
  const margin = { top: input.subtitle ? 60 : 44, right: 20, bottom: 78, left: 70 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const finite = input.values.flat().filter((v) => Number.isFinite(v));
  const positive = finite.filter((v) => v > 0);
  // A log axis keeps a slow path from flattening every other bar to nothing.
  const log = input.logScale === true && positive.length > 0;
  const ticks = log
    ? logTicks(Math.min(...positive), Math.max(...positive))
    : niceTicks(Math.max(0, ...finite));
  const bottom = log ? (ticks[0] ?? 1) : 0;
  const top = ticks[ticks.length - 1] ?? 1;
  const scale = (/** @type {number} */ value) =>
    log ? Math.log10(Math.max(value, bottom)) - Math.log10(bottom) : value;
  const y = (/** @type {number} */ value) =>
    margin.top + plotHeight - (scale(value) / (scale(top) || 1)) * plotHeight;

  const parts = frame(width, height, input.title, input.subtitle);
  for (const tick of ticks) {
    const ty = y(tick);
    parts.push(
      `<line x1="${margin.left}" y1="${ty}" x2="${margin.left + plotWidth}" y2="${ty}" stroke="#e3e3e3"/>`,
      `<text x="${margin.left - 8}" y="${ty + 4}" text-anchor="end" ${FONT} font-size="11" fill="#555">${log ? (tick >= 1000 ? `${tick / 1000}k` : String(tick)) : formatTick(tick, ticks[1] ?? 1)}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" ${FONT} font-size="12" fill="#333">${escapeXml(input.yLabel)}</text>`,
  );

  const groupWidth = plotWidth / Math.max(1, input.groups.length);
  const barWidth = Math.min(46, (groupWidth * 0.8) / Math.max(1, input.series.length));
  input.groups.forEach((group, g) => {
    const groupStart = margin.left + g * groupWidth + (groupWidth - barWidth * input.series.length) / 2;
    input.series.forEach((_name, s) => {
      const value = input.values[g]?.[s] ?? Number.NaN;
      if (!Number.isFinite(value)) return;
      const bx = groupStart + s * barWidth;
      const by = y(value);
      const color = PALETTE[s % PALETTE.length];
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(margin.top + plotHeight - by).toFixed(1)}" fill="${color}"><title>${escapeXml(`${group} ${input.series[s]}: ${formatNumber(value)}`)}</title></rect>`,
        `<text x="${(bx + (barWidth - 2) / 2).toFixed(1)}" y="${(by - 4).toFixed(1)}" text-anchor="middle" ${FONT} font-size="10" fill="#333">${formatNumber(value)}</text>`,
      );
    });
    parts.push(
      `<text x="${(margin.left + g * groupWidth + groupWidth / 2).toFixed(1)}" y="${margin.top + plotHeight + 18}" text-anchor="middle" ${FONT} font-size="12" fill="#222">${escapeXml(group)}</text>`,
    );
  });
  parts.push(
    `<line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="#888"/>`,
  );
  parts.push(...legend(input.series, margin.left, height - 18, plotWidth));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/**
 * @typedef {object} LineSeries
 * @property {string} name
 * @property {{x: number, y: number}[]} points
 */

/**
 * @typedef {object} LineChartInput
 * @property {string} title
 * @property {string} [subtitle]
 * @property {string} xLabel
 * @property {string} yLabel
 * @property {number[]} xValues categorical x positions (e.g. concurrency levels), drawn evenly spaced
 * @property {LineSeries[]} series
 * @property {number} [width]
 * @property {number} [height]
 */

/**
 * A line chart over categorical x values (evenly spaced, so 10/50/200 are equally readable), with markers
 * and value labels; a single x value still draws the markers.
 * @param {LineChartInput} input
 * @returns {string}
 */
export function lineChart(input) {
  const width = input.width ?? 760;
  const height = input.height ?? 420;
  const margin = { top: input.subtitle ? 60 : 44, right: 30, bottom: 84, left: 70 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const finite = input.series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => Number.isFinite(v));
  const ticks = niceTicks(Math.max(0, ...finite));
  const top = ticks[ticks.length - 1] ?? 1;
  const slots = Math.max(1, input.xValues.length);
  const x = (/** @type {number} */ value) => {
    const index = input.xValues.indexOf(value);
    return margin.left + ((Math.max(0, index) + 0.5) / slots) * plotWidth;
  };
  const y = (/** @type {number} */ value) => margin.top + plotHeight - (value / top) * plotHeight;

  const parts = frame(width, height, input.title, input.subtitle);
  for (const tick of ticks) {
    const ty = y(tick);
    parts.push(
      `<line x1="${margin.left}" y1="${ty}" x2="${margin.left + plotWidth}" y2="${ty}" stroke="#e3e3e3"/>`,
      `<text x="${margin.left - 8}" y="${ty + 4}" text-anchor="end" ${FONT} font-size="11" fill="#555">${formatTick(tick, ticks[1] ?? 1)}</text>`,
    );
  }
  for (const value of input.xValues) {
    parts.push(
      `<text x="${x(value)}" y="${margin.top + plotHeight + 18}" text-anchor="middle" ${FONT} font-size="12" fill="#222">${escapeXml(String(value))}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="#888"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${margin.top + plotHeight + 38}" text-anchor="middle" ${FONT} font-size="12" fill="#333">${escapeXml(input.xLabel)}</text>`,
    `<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" ${FONT} font-size="12" fill="#333">${escapeXml(input.yLabel)}</text>`,
  );
  /** @type {{x: number, y: number, text: string, color: string}[]} */
  const labels = [];
  input.series.forEach((series, s) => {
    const color = PALETTE[s % PALETTE.length] ?? '#333';
    const points = series.points.filter((p) => Number.isFinite(p.y) && input.xValues.includes(p.x));
    if (points.length > 1) {
      const d = points
        .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.x).toFixed(1)} ${y(p.y).toFixed(1)}`)
        .join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2.5"/>`);
    }
    for (const p of points) {
      parts.push(
        `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="4" fill="${color}"><title>${escapeXml(`${series.name} @ ${p.x}: ${formatNumber(p.y)}`)}</title></circle>`,
      );
      labels.push({ x: x(p.x) + 7, y: y(p.y) - 6, text: formatNumber(p.y), color });
    }
  });
  // Value labels at the same x are pushed apart vertically so close lines stay readable.
  /** @type {Map<number, typeof labels>} */
  const byColumn = new Map();
  for (const label of labels) {
    const key = Math.round(label.x);
    byColumn.set(key, [...(byColumn.get(key) ?? []), label]);
  }
  for (const column of byColumn.values()) {
    column.sort((a, b) => a.y - b.y);
    for (let i = 1; i < column.length; i += 1) {
      const previous = /** @type {{y: number}} */ (column[i - 1]);
      const current = /** @type {{y: number}} */ (column[i]);
      if (current.y - previous.y < 12) current.y = previous.y + 12;
    }
    for (const label of column) {
      parts.push(
        `<text x="${label.x.toFixed(1)}" y="${label.y.toFixed(1)}" ${FONT} font-size="10" fill="${label.color}">${label.text}</text>`,
      );
    }
  }
  parts.push(
    ...legend(
      input.series.map((s) => s.name),
      margin.left,
      height - 16,
      plotWidth,
    ),
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
