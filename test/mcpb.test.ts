import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getMcpConfigForManifest } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The MCP Bundle as Claude Desktop installs it: built and validated with the official CLI
// (`npm run mcpb`: mcpb validate, mcpb pack), unpacked with `mcpb unpack`, and started from the
// manifest's own mcp_config with the user's settings substituted by the CLI package's own
// getMcpConfigForManifest (the substitution the desktop app performs).
const run = promisify(execFile);
const root = new URL('../', import.meta.url).pathname;
const mcpb = join(root, 'node_modules/.bin/mcpb');
const work = mkdtempSync(join(tmpdir(), 'mcpb-test-'));
const bundle = join(work, 'ocs-mcp.mcpb');
const unpacked = join(work, 'unpacked');
const pkg = JSON.parse(readFileSync(join(root, 'packages/mcp-server/package.json'), 'utf8')) as {
  version: string;
};

type Manifest = Parameters<typeof getMcpConfigForManifest>[0]['manifest'];
let manifest: Manifest;

async function toolsWith(userConfig: Record<string, string | boolean>): Promise<string[]> {
  const config = await getMcpConfigForManifest({
    manifest,
    extensionPath: unpacked,
    systemDirs: { HOME: work, DATA: work, DOCUMENTS: work, DOWNLOADS: work, DESKTOP: work },
    userConfig,
    pathSeparator: '/',
  });
  if (!config) throw new Error('the manifest yields no MCP config for these settings');
  const client = new Client({ name: 'mcpb-test', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: config.command,
      args: config.args ?? [],
      env: { PATH: process.env.PATH ?? '', ...config.env },
      stderr: 'pipe',
    }),
  );
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

describe('MCP Bundle (.mcpb)', () => {
  beforeAll(async () => {
    await run(process.execPath, [join(root, 'packages/mcp-server/scripts/mcpb.mjs'), bundle], { cwd: root });
    await run(mcpb, ['unpack', bundle, unpacked]);
    manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Manifest;
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('passes mcpb validate, unpacked from the packed bundle', async () => {
    const { stdout } = await run(mcpb, ['validate', join(unpacked, 'manifest.json')]);
    expect(stdout).toContain('Manifest schema validation passes!');
    expect(manifest.version).toBe(pkg.version);
  });

  it('asks the user for the OCS URL, a sensitive API key, a read-only switch and the toolsets', () => {
    const config = manifest.user_config ?? {};
    expect(config.ocs_api_url).toMatchObject({ type: 'string', required: true });
    expect(config.ocs_api_key).toMatchObject({ type: 'string', sensitive: true });
    expect(config.read_only).toMatchObject({ type: 'boolean', default: false });
    expect(config.toolsets).toMatchObject({ type: 'string' });
    const setting = (key: string) => `\${user_config.${key}}`;
    expect(manifest.server.mcp_config.env).toEqual({
      OCS_API_URL: setting('ocs_api_url'),
      OCS_API_KEY: setting('ocs_api_key'),
      OCS_MCP_READ_ONLY: setting('read_only'),
      OCS_MCP_TOOLSETS: setting('toolsets'),
    });
  });

  it('starts from its manifest with the defaults and offers every default tool', async () => {
    const tools = await toolsWith({ ocs_api_url: 'http://127.0.0.1:9/ocs/prov/v1' });
    // Every tool but the two of history-admin, which is off unless listed.
    expect(tools).toHaveLength(20);
    expect(tools).not.toContain('update_account_history');
    expect(tools).toContain('delete_subscriber');
  });

  it('honours read-only and toolsets as the user set them', async () => {
    const tools = await toolsWith({
      ocs_api_url: 'http://127.0.0.1:9/ocs/prov/v1',
      ocs_api_key: 'k-123',
      read_only: true,
      toolsets: 'subscriber,offers',
    });
    expect(tools.sort()).toEqual(['get_offer', 'get_subscriber', 'list_offers', 'lookup_subscriber']);
  });

  it('is not started while the required OCS URL is missing', async () => {
    const config = await getMcpConfigForManifest({
      manifest: {
        ...manifest,
        user_config: {
          ...manifest.user_config,
          ocs_api_url: { ...manifest.user_config!.ocs_api_url!, default: undefined },
        },
      } as Manifest,
      extensionPath: unpacked,
      systemDirs: {},
      userConfig: {},
      pathSeparator: '/',
    });
    expect(config).toBeUndefined();
  });
});
