#!/usr/bin/env node
// `npm run mcpb`: the MCP Bundle (.mcpb) for one-click install in Claude Desktop, made with the
// official CLI (@anthropic-ai/mcpb): stages mcpb/manifest.json beside server/ (the self-contained
// bundle of `npm run build`, the offer catalogue, a package.json for the module type and version),
// runs `mcpb validate` on the manifest and `mcpb pack` on the folder.
//   node packages/mcp-server/scripts/mcpb.mjs [OUT.mcpb]   (default: packages/mcp-server/ocs-mcp.mcpb)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const pkg = resolve(import.meta.dirname, '..');
const root = resolve(pkg, '../..');
const out = resolve(process.argv[2] ?? join(pkg, 'ocs-mcp.mcpb'));
const mcpb = join(root, 'node_modules/.bin/mcpb');
if (!existsSync(join(pkg, 'bundle/bin.js')))
  throw new Error('packages/mcp-server/bundle is missing: run npm run build');

const manifest = JSON.parse(readFileSync(join(pkg, 'mcpb/manifest.json'), 'utf8'));
const { name, version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
if (manifest.version !== version)
  throw new Error(`mcpb/manifest.json has version ${manifest.version}, the package ${version}`);

const stage = mkdtempSync(join(tmpdir(), 'mcpb-'));
try {
  cpSync(join(pkg, 'mcpb/manifest.json'), join(stage, 'manifest.json'));
  cpSync(join(pkg, 'bundle'), join(stage, 'server/bundle'), { recursive: true });
  cpSync(join(pkg, 'data'), join(stage, 'server/data'), { recursive: true });
  writeFileSync(
    join(stage, 'server/package.json'),
    `${JSON.stringify({ name, version, type: 'module' }, null, 2)}\n`,
  );
  cpSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  execFileSync(mcpb, ['validate', join(stage, 'manifest.json')], { stdio: 'inherit' });
  execFileSync(mcpb, ['pack', stage, out], { stdio: 'inherit' });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
