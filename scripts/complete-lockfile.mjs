#!/usr/bin/env node
// Usage: node scripts/complete-lockfile.mjs package-lock.json (after an npm install that changed the lockfile).
// The npm registry mirror reachable here lacks some platform builds of biome and lefthook, so npm
// leaves them out of the lockfile and `npm ci` then refuses the lockfile. Record them (never installed
// on this platform: os/cpu/libc do not match) so the lockfile is complete.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const lock = JSON.parse(readFileSync(file, 'utf8'));
const platform = (name) => {
  const m = name.match(/-(android|darwin|linux|win32)-(arm64|x64)(-musl)?$/);
  if (!m) throw new Error(name);
  return { cpu: [m[2]], os: [m[1]], ...(m[3] ? { libc: ['musl'] } : {}) };
};
let added = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key]) continue;
    const parent = lock.packages[path];
    lock.packages[key] = {
      version,
      ...platform(dep),
      dev: parent.dev ?? undefined,
      license: parent.license,
      optional: true,
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform entries`);
