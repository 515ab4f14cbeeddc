#!/usr/bin/env node
// Production bundles, made with rolldown from the built dist/ (run after `npm run build`):
//
//   node scripts/bundle.mjs --image OUT
//     for the container image's runtime stage: OUT/app/packages/<package>/dist/ (one bundle per
//     service bin, code-split where a bin loads a part lazily), each package's package.json (module
//     type, version) and the data files its code finds relative to itself, better-sqlite3 with its
//     native addon in OUT/app/node_modules (the one dependency that cannot be bundled), and
//     scripts/healthcheck.mjs. Paths keep the repository's layout, so compose.yaml's commands and
//     the HEALTHCHECK work unchanged.
//
//   node scripts/bundle.mjs --mcp-package
//     the published @ocsai/mcp-server: packages/mcp-server/bundle/ (its library entry and its bin,
//     every dependency inlined) and packages/mcp-server/data/ (the offer catalogue), so the packed
//     tarball has no dependencies and `npx -y @ocsai/mcp-server` installs nothing else.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { rolldown } from 'rolldown';

const root = resolve(import.meta.dirname, '..');
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Bundles `inputs` (name -> built file) into `dir` as ES modules; `native` packages stay external. */
async function bundle(inputs, dir, native = []) {
  for (const file of Object.values(inputs)) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  }
  const build = await rolldown({
    input: inputs,
    platform: 'node',
    external: (id) => builtins.has(id) || native.some((n) => id === n || id.startsWith(`${n}/`)),
    logLevel: 'warn',
  });
  await build.write({
    dir,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    // CommonJS dependencies call require() for Node built-ins; an ES module has none of its own.
    banner:
      "import { createRequire as __ocsCreateRequire } from 'node:module'; const require = __ocsCreateRequire(import.meta.url);",
  });
  await build.close();
}

/** @ocsai/contract finds its offer catalogue at ../data/offers.csv from its own module, which in a
 *  bundle is a file one level under the package. */
const copyOffers = (packageDir) =>
  cpSync(join(root, 'packages/contract/data'), join(packageDir, 'data'), { recursive: true });

/** Native: loaded at run time from node_modules, never bundled. */
const NATIVE = ['better-sqlite3'];

const [mode, outArg] = process.argv.slice(2);
if (mode === '--mcp-package') {
  const pkg = join(root, 'packages/mcp-server');
  rmSync(join(pkg, 'bundle'), { recursive: true, force: true });
  // better-sqlite3 is native: it stays a dependency of the package (loaded only for MCP_STATE_FILE).
  await bundle(
    { index: join(pkg, 'dist/index.js'), bin: join(pkg, 'dist/bin.js') },
    join(pkg, 'bundle'),
    NATIVE,
  );
  copyOffers(pkg);
  process.exit(0);
}
if (mode !== '--image' || !outArg) {
  process.stderr.write('usage: node scripts/bundle.mjs --image OUT | --mcp-package\n');
  process.exit(2);
}

const app = join(resolve(outArg), 'app');

const services = [{ pkg: 'emulator' }, { pkg: 'mcp-server' }, { pkg: 'router', extra: ['dist/console'] }];

rmSync(app, { recursive: true, force: true });
for (const { pkg, extra = [] } of services) {
  const from = join(root, 'packages', pkg);
  const to = join(app, 'packages', pkg);
  await bundle({ bin: join(from, 'dist/bin.js') }, join(to, 'dist'), NATIVE);
  const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
  cpSync(join(from, 'package.json'), join(to, 'package.json'));
  copyOffers(to);
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
