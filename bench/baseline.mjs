// Builds the MCP server as it was at an older git revision, so one run can measure before and after side by
// side (`npm run bench -- --mcp-baseline=REV`). The sources come from `git archive`; the build resolves its
// dependencies from this checkout's node_modules.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * @param {string} root repository root
 * @param {string} revision any git revision (commit, tag, branch)
 * @returns {{bin: string, remove: () => void}} the baseline's packages/mcp-server/dist/bin.js, and a
 *   function that deletes the build
 */
export function buildMcpBaseline(root, revision) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-bench-baseline-'));
  const archive = execFileSync('git', ['archive', revision, 'packages/mcp-server', 'tsconfig.base.json'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const pkg = path.join(dir, 'packages/mcp-server');
  const tsconfigPath = path.join(pkg, 'tsconfig.build.json');
  const tsconfig = JSON.parse(readFileSync(tsconfigPath, 'utf8'));
  // Built alone: the contract package comes prebuilt from this checkout.
  delete tsconfig.references;
  tsconfig.compilerOptions.composite = false;
  writeFileSync(tsconfigPath, JSON.stringify(tsconfig));
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfigPath], {
    cwd: pkg,
    stdio: 'inherit',
  });
  return {
    bin: path.join(pkg, 'dist/bin.js'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
