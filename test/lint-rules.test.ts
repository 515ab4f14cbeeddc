import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The architecture rules of STYLE.md live in biome.json. Each is proven here by a file that breaks
// it, linted with the repository's own configuration in a temporary tree; the allowed imports next
// to them show that a rule does not simply forbid everything.

const root = path.resolve(import.meta.dirname, '..');
const biome = path.join(root, 'node_modules/.bin/biome');

const CYCLE = 'lint/suspicious/noImportCycles';
const RESTRICTED = 'lint/style/noRestrictedImports';

/** file → its text and the rule it must trip (undefined: it must lint clean). */
const FIXTURES: Record<string, { text: string; rule: string | undefined }> = {
  // A cycle made of type imports only still counts (ignoreTypes: false).
  'packages/router/src/cycle-a.ts': {
    text: "import type { B } from './cycle-b.js';\n\nexport type A = { b?: B };\n",
    rule: CYCLE,
  },
  'packages/router/src/cycle-b.ts': {
    text: "import type { A } from './cycle-a.js';\n\nexport type B = { a?: A };\n",
    rule: CYCLE,
  },
  'packages/contract/src/imports-emulator.ts': {
    text: "export { createEmulatorApp } from '@ocsai/emulator';\n",
    rule: RESTRICTED,
  },
  'packages/contract/src/imports-router-by-path.ts': {
    text: "export { startRouter } from '../../router/src/index.js';\n",
    rule: RESTRICTED,
  },
  'packages/emulator/src/imports-mcp-server.ts': {
    text: "export { startMcpServer } from '@ocsai/mcp-server';\n",
    rule: RESTRICTED,
  },
  'packages/emulator/src/imports-mcp-server-by-path.ts': {
    text: "export { startMcpServer } from '../../mcp-server/src/index.js';\n",
    rule: RESTRICTED,
  },
  'packages/emulator/src/imports-contract.ts': {
    text: "export { OCS_BASE_PATH } from '@ocsai/contract';\n",
    rule: undefined,
  },
  'packages/emulator/src/imports-telemetry.ts': {
    text: "export { withSpan } from '@ocsai/telemetry';\n",
    rule: undefined,
  },
  'packages/mcp-server/src/imports-telemetry-metrics.ts': {
    text: "export { McpServerMetrics } from '@ocsai/telemetry/metrics';\n",
    rule: undefined,
  },
  'packages/mcp-server/src/imports-emulator.ts': {
    text: "export { createEmulatorApp } from '@ocsai/emulator';\n",
    rule: RESTRICTED,
  },
  'packages/mcp-server/src/imports-emulator-by-path.ts': {
    text: "export { createEmulatorApp } from '../../emulator/src/index.js';\n",
    rule: RESTRICTED,
  },
  'packages/router/src/imports-emulator.ts': {
    text: "export { createEmulatorApp } from '@ocsai/emulator';\n",
    rule: RESTRICTED,
  },
  'packages/router/src/imports-mcp-server.ts': {
    text: "export { startMcpServer } from '@ocsai/mcp-server';\n",
    rule: RESTRICTED,
  },
  'packages/router/src/imports-mcp-server-by-path.ts': {
    text: "export { startMcpServer } from '../../mcp-server/src/index.js';\n",
    rule: RESTRICTED,
  },
  'packages/router/src/imports-mcp-client-sdk.ts': {
    text: "export type { CallToolResult } from '@modelcontextprotocol/client';\n",
    rule: undefined,
  },
  'packages/router/src/imports-test-fake.ts': {
    text: "export { startFakeUpstream } from '../test/fakes/fake-openai.js';\n",
    rule: RESTRICTED,
  },
  'packages/mcp-server/src/imports-test-support.ts': {
    text: "export { harness } from '../test/support/harness.js';\n",
    rule: RESTRICTED,
  },
  'packages/client/src/imports-router.ts': {
    text: "export { startRouter } from '@ocsai/router';\n",
    rule: RESTRICTED,
  },
  'packages/client/src/imports-contract.ts': {
    text: "export { OCS_BASE_PATH } from '@ocsai/contract';\n",
    rule: RESTRICTED,
  },
  'packages/console/src/imports-router.ts': {
    text: "export { startRouter } from '@ocsai/router';\n",
    rule: RESTRICTED,
  },
  'packages/console/src/imports-client.ts': {
    text: "export { RouterClient } from '@ocsai/client';\n",
    rule: undefined,
  },
};

interface Diagnostic {
  category: string;
  location: { path: string };
}

let dir: string;
let reported: Map<string, string[]>;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-lint-rules-'));
  // The repository's configuration as it is, only pointed at this tree (no git, every file).
  const config = JSON.parse(readFileSync(path.join(root, 'biome.json'), 'utf8'));
  delete config.$schema;
  config.vcs = { enabled: false };
  config.files = { includes: ['**'] };
  writeFileSync(path.join(dir, 'biome.json'), JSON.stringify(config));
  for (const [file, { text }] of Object.entries(FIXTURES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  let output: string;
  try {
    output = execFileSync(biome, ['lint', '--reporter=json', '--max-diagnostics=none', '.'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    // biome exits 1 when it reports errors, which is what this test expects.
    output = (error as { stdout: string }).stdout;
  }
  const { diagnostics } = JSON.parse(output) as { diagnostics: Diagnostic[] };
  reported = new Map();
  for (const d of diagnostics) {
    const file = d.location.path.split(path.sep).join('/');
    reported.set(file, [...(reported.get(file) ?? []), d.category]);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('architecture lint rules (biome.json)', () => {
  for (const [file, { rule }] of Object.entries(FIXTURES)) {
    if (rule) {
      it(`reports ${rule.split('/').pop()} in ${file}`, () => {
        expect(reported.get(file)).toEqual([rule]);
      });
    } else {
      it(`allows ${file}`, () => {
        expect(reported.get(file)).toBeUndefined();
      });
    }
  }
});
