// Reads V8 .cpuprofile files (node --cpu-prof) and lists the frames with the most self time, grouped by
// function and location, so a profile can be read from the terminal and quoted in a report.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * @typedef {object} ProfileNode
 * @property {number} id
 * @property {{functionName: string, url: string, lineNumber: number}} callFrame
 * @property {number[]} [children]
 */

/**
 * @param {string} dir directory holding *.cpuprofile files (all are summed)
 * @param {number} [limit]
 * @returns {string[]} lines like "12.3%  onResponse  node_modules/undici/lib/...:123"
 */
export function topFrames(dir, limit = 20) {
  /** @type {Map<string, number>} */
  const selfTime = new Map();
  let total = 0;
  let files;
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [`no profile directory ${dir}`];
  }
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    /** @type {Map<number, ProfileNode>} */
    const nodes = new Map(profile.nodes.map((/** @type {ProfileNode} */ n) => [n.id, n]));
    const samples = /** @type {number[]} */ (profile.samples ?? []);
    const deltas = /** @type {number[]} */ (profile.timeDeltas ?? []);
    samples.forEach((id, index) => {
      const node = nodes.get(id);
      if (!node) return;
      const micros = deltas[index + 1] ?? deltas[index] ?? 0;
      const { functionName, url, lineNumber } = node.callFrame;
      const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
      const key = `${functionName || '(anonymous)'}  ${where}`.trim();
      selfTime.set(key, (selfTime.get(key) ?? 0) + micros);
      total += micros;
    });
  }
  if (total === 0) return ['profile is empty'];
  return [...selfTime.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, micros]) => `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

/** @param {string} url */
function shorten(url) {
  const clean = url.replace(/^file:\/\//, '');
  const index = clean.lastIndexOf('node_modules/');
  if (index !== -1) return clean.slice(index);
  const packages = clean.indexOf('/packages/');
  return packages !== -1 ? clean.slice(packages + 1) : clean;
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node bench/profile.mjs <dir with .cpuprofile files> [limit]\n');
    process.exit(1);
  }
  for (const line of topFrames(dir, Number(process.argv[3] ?? 25))) process.stdout.write(`${line}\n`);
}
