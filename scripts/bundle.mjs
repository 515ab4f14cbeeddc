#!/usr/bin/env node
// Production bundles of the three services, for the container image's runtime stage:
//   node scripts/bundle.mjs OUT      (after `npm run build`)
// writes OUT/app/packages/<package>/dist/ (one bundle per bin, code-split where a bin loads a part
// lazily), each package's package.json (module type, version) and the data files its code finds
// relative to itself, better-sqlite3 with its native addon in OUT/app/node_modules (the one
// dependency that cannot be bundled), and scripts/healthcheck.mjs. Paths keep the repository's
// layout, so compose.yaml's commands and the HEALTHCHECK work unchanged.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { rolldown } from 'rolldown';

const out = resolve(process.argv[2] ?? 'image-bundle');
const root = resolve(import.meta.dirname, '..');
const app = join(out, 'app');

/** Native: loaded at run time from node_modules, never bundled. */
const NATIVE = ['better-sqlite3'];

const services = [
  { pkg: 'emulator', data: true },
  { pkg: 'mcp-server', data: true },
  { pkg: 'router', data: true, extra: ['dist/console'] },
];

rmSync(app, { recursive: true, force: true });
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

for (const { pkg, data, extra = [] } of services) {
  const from = join(root, 'packages', pkg);
  const to = join(app, 'packages', pkg);
  if (!existsSync(join(from, 'dist/bin.js')))
    throw new Error(`packages/${pkg}/dist/bin.js is missing: run npm run build`);
  const bundle = await rolldown({
    input: { bin: join(from, 'dist/bin.js') },
    platform: 'node',
    external: (id) => builtins.has(id) || NATIVE.some((n) => id === n || id.startsWith(`${n}/`)),
    logLevel: 'warn',
  });
  await bundle.write({
    dir: join(to, 'dist'),
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    // CommonJS dependencies call require() for Node built-ins; an ES module has none of its own.
    banner:
      "import { createRequire as __ocsCreateRequire } from 'node:module'; const require = __ocsCreateRequire(import.meta.url);",
  });
  await bundle.close();
  const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
  mkdirSync(to, { recursive: true });
  cpSync(join(from, 'package.json'), join(to, 'package.json'));
  // @ocsai/contract finds its offer catalogue at ../data/offers.csv from its own module; in a
  // bundle that module is dist/<file>.js of the service.
  if (data) cpSync(join(root, 'packages/contract/data'), join(to, 'data'), { recursive: true });
  for (const path of extra) cpSync(join(from, path), join(to, path), { recursive: true });
  process.stderr.write(`bundled ${manifest.name}@${manifest.version}\n`);
}

// better-sqlite3 and what it requires at run time: its lib/, its compiled addon, and `bindings`.
const require = createRequire(join(root, 'packages/emulator/package.json'));
function copyPackage(name, paths) {
  const dir = dirname(require.resolve(`${name}/package.json`));
  for (const path of ['package.json', ...paths]) {
    cpSync(join(dir, path), join(app, 'node_modules', name, path), { recursive: true });
  }
  return dir;
}
const sqlite = copyPackage('better-sqlite3', ['lib', 'build/Release/better_sqlite3.node']);
const fromSqlite = createRequire(join(sqlite, 'package.json'));
for (const name of ['bindings', 'file-uri-to-path']) {
  const dir = dirname(fromSqlite.resolve(`${name}/package.json`));
  cpSync(dir, join(app, 'node_modules', name), {
    recursive: true,
    filter: (src) => !/\/(test|\.github)(\/|$)/.test(src),
  });
}

mkdirSync(join(app, 'scripts'), { recursive: true });
cpSync(join(root, 'scripts/healthcheck.mjs'), join(app, 'scripts/healthcheck.mjs'));
process.stderr.write(`bundles written to ${app}\n`);
