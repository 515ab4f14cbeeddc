import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@cfworker/json-schema';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';
import { loadMcpConfig, mcpEnvSchema } from '../packages/mcp-server/src/config.js';
import { freePort } from './support/free-port.js';

// How the MCP server is installed: the MCP Registry entry (server.json, validated against a
// vendored copy of the registry's 2025-12-11 schema) and the client snippets of the READMEs, each
// parsed and checked for the commands, paths and URLs it names; the ones that can run here do.
const root = new URL('../', import.meta.url).pathname;
const pkgDir = join(root, 'packages/mcp-server');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  mcpName: string;
  bin: Record<string, string>;
};

describe('server.json for the official MCP Registry', () => {
  const server = JSON.parse(readFileSync(join(pkgDir, 'server.json'), 'utf8'));
  const schema = JSON.parse(
    readFileSync(join(root, 'schema/vendor/mcp-registry-server.2025-12-11.schema.json'), 'utf8'),
  );

  it('validates against the registry schema it names (2025-12-11)', () => {
    expect(server.$schema).toBe(schema.$id);
    expect(schema.$id).toBe('https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json');
    const result = new Validator(schema, '7', false).validate(server);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the schema copy rejects what the registry rejects (a version range, a bad name)', () => {
    const validator = new Validator(schema, '7', false);
    expect(validator.validate({ ...server, name: 'no-slash' }).valid).toBe(false);
    expect(
      validator.validate({ ...server, packages: [{ ...server.packages[0], version: 'latest' }] }).valid,
    ).toBe(false);
  });

  it('names this package, its version and its mcpName, and only variables the server reads', () => {
    expect(server.name).toBe(pkg.mcpName);
    expect(server.version).toBe(pkg.version);
    const [npm] = server.packages;
    expect(npm).toMatchObject({ registryType: 'npm', identifier: pkg.name, version: pkg.version });
    const read = Object.keys(mcpEnvSchema.shape);
    for (const { name } of npm.environmentVariables) expect(read).toContain(name);
    expect(npm.environmentVariables.find((v: { name: string }) => v.name === 'OCS_API_KEY').isSecret).toBe(
      true,
    );
  });
});

interface Snippet {
  file: string;
  clients: string[];
  lang: string;
  code: string;
}

function snippets(file: string): Snippet[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/<!-- snippet: ([^>]+) -->\n```(\w+)\n([\s\S]*?)\n```/g)].map((m) => ({
    file,
    clients: m[1]!.trim().split(/\s+/),
    lang: m[2]!,
    code: m[3]!,
  }));
}
const all = [...snippets('README.md'), ...snippets('packages/mcp-server/README.md')];

interface StdioEntry {
  type?: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}
interface HttpEntry {
  type?: string;
  url: string;
  headers?: Record<string, string>;
}
type Entry = StdioEntry | HttpEntry;

/** The server entries of a snippet, whatever the client's format. */
function entriesOf(snippet: Snippet): Entry[] {
  if (snippet.lang === 'json') {
    const json = JSON.parse(snippet.code);
    // VS Code: "servers" with an explicit type; the others: "mcpServers".
    const servers = snippet.clients.includes('vscode') ? json.servers : json.mcpServers;
    expect(servers, `${snippet.file}: ${snippet.clients[0]} format`).toBeTypeOf('object');
    return Object.values(servers) as Entry[];
  }
  // Claude Code: `claude mcp add [--transport http] NAME (URL [--header H] | [--env K=V] -- CMD ARGS...)`
  return snippet.code.split('\n').map((line) => {
    const words = line.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, ''));
    expect(words.slice(0, 3)).toEqual(['claude', 'mcp', 'add']);
    if (words.includes('--transport')) {
      expect(words[words.indexOf('--transport') + 1]).toBe('http');
      const header = words[words.indexOf('--header') + 1]!;
      const [name, ...value] = header.split(':');
      return {
        url: words.find((w) => /^https?:\/\//.test(w))!,
        headers: { [name!]: value.join(':').trim() },
      };
    }
    const dashdash = words.indexOf('--');
    const env = Object.fromEntries(
      words
        .flatMap((w, i) => (words[i - 1] === '--env' ? [w.split('=')] : []))
        .map(([k, ...v]) => [k, v.join('=')]),
    );
    return { command: words[dashdash + 1]!, args: words.slice(dashdash + 2), env };
  });
}

const isHttp = (entry: Entry): entry is HttpEntry => 'url' in entry;

describe('MCP client install snippets', () => {
  it('covers Claude Desktop, Claude Code, Cursor and VS Code, over stdio and HTTP', () => {
    const tags = new Set(all.flatMap((s) => s.clients));
    for (const tag of ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'stdio', 'http'])
      expect(tags).toContain(tag);
  });

  describe.each(all.map((s) => [`${s.file} ${s.clients.join(' ')}`, s] as const))('%s', (_name, snippet) => {
    const entries = entriesOf(snippet);

    it('declares each transport it is tagged with', () => {
      expect(entries.some((e) => !isHttp(e))).toBe(snippet.clients.includes('stdio'));
      expect(entries.some(isHttp)).toBe(snippet.clients.includes('http'));
      if (snippet.clients.includes('vscode')) {
        for (const e of entries) expect(e.type).toBe(isHttp(e) ? 'http' : 'stdio');
      }
    });

    it('names a command that runs this server, and only variables it reads', () => {
      for (const entry of entries.filter((e): e is StdioEntry => !isHttp(e))) {
        if (entry.command === 'npx') {
          // npx -y <package>: this very package, whose single bin npx runs.
          expect(entry.args).toEqual(['-y', pkg.name]);
          expect(Object.keys(pkg.bin)).toHaveLength(1);
        } else {
          expect(entry.command).toBe('node');
          const path = entry.args[0]!.replace('/path/to/repo', root.replace(/\/$/, ''));
          expect(existsSync(path), path).toBe(true);
        }
        for (const name of Object.keys(entry.env ?? {}))
          expect(Object.keys(mcpEnvSchema.shape)).toContain(name);
      }
    });

    it('names the URL the HTTP server serves by default', () => {
      const defaults = loadMcpConfig({});
      for (const entry of entries.filter(isHttp)) {
        const url = new URL(entry.url);
        expect(`${url.hostname}:${url.port}${url.pathname}`).toBe(
          `${defaults.httpHost}:${defaults.httpPort}/mcp`,
        );
        expect(entry.headers?.Authorization).toMatch(/^Bearer \S+$/);
      }
    });
  });

  it('the clone snippet starts the server over stdio and lists its tools', async () => {
    const clone = all.find((s) => s.clients.includes('clone'))!;
    const [entry] = entriesOf(clone) as StdioEntry[];
    const client = new Client({ name: 'snippet-stdio', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [entry!.args[0]!.replace('/path/to/repo', root.replace(/\/$/, ''))],
        env: { PATH: process.env.PATH ?? '', ...entry!.env, LOG_LEVEL: 'warn' },
        stderr: 'pipe',
      }),
    );
    // The default toolsets: every tool but the two of history-admin, which is off unless listed.
    expect((await client.listTools()).tools).toHaveLength(20);
    await client.close();
  });

  it('the HTTP snippets authenticate as written against ocs-mcp --http', async () => {
    const cursor = entriesOf(all.find((s) => s.clients.includes('cursor'))!).find(isHttp)!;
    const token = cursor.headers!.Authorization!.replace('Bearer ', '');
    const port = await freePort();
    const child = spawn(process.execPath, [join(pkgDir, pkg.bin['ocs-mcp']!), '--http'], {
      env: { ...process.env, MCP_HTTP_PORT: String(port), MCP_AUTH_TOKENS: token, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    try {
      for (let i = 0; i < 100; i++) {
        const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (up) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = new URL(cursor.url);
      url.port = String(port);
      const client = new Client({ name: 'snippet-http', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(url, { requestInit: { headers: cursor.headers } }),
      );
      // The default toolsets: every tool but the two of history-admin, which is off unless listed.
      expect((await client.listTools()).tools).toHaveLength(20);
      await client.close();
      const anonymous = new Client({ name: 'snippet-http-anonymous', version: '1' });
      await expect(anonymous.connect(new StreamableHTTPClientTransport(url))).rejects.toThrow();
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
