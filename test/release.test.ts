import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// One version for the whole release: every workspace, the workspace references between them, the
// lockfile, and the MCP server's registry entry and bundle manifest.
const root = new URL('../', import.meta.url).pathname;
const read = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const { version, workspaces } = read('package.json') as { version: string; workspaces: string[] };

describe(`release ${version}`, () => {
  it.each(workspaces)('%s has the release version and depends on the same version of its siblings', (dir) => {
    const pkg = read(`${dir}/package.json`);
    expect(pkg.version).toBe(version);
    for (const deps of [pkg.dependencies, pkg.devDependencies]) {
      for (const [name, range] of Object.entries(deps ?? {}))
        if (name.startsWith('@ocsai/')) expect(range).toBe(version);
    }
  });

  it('the lockfile records the same versions', () => {
    const lock = read('package-lock.json');
    expect(lock.version).toBe(version);
    for (const dir of workspaces) expect(lock.packages[dir].version, dir).toBe(version);
  });

  it('the MCP Registry entry and the MCP Bundle manifest name the release', () => {
    const server = read('packages/mcp-server/server.json');
    expect(server.version).toBe(version);
    expect(server.packages[0].version).toBe(version);
    expect(read('packages/mcp-server/mcpb/manifest.json').version).toBe(version);
  });
});
