import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
// Every package is held to the same floor; a glob per package keeps one package's surplus from hiding another's gap.
const floor = { lines: 85 };

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources of sibling packages, not their build output.
    alias: {
      '@ocsai/contract': src('contract'),
      // The subpath first: a string alias also matches every path below it.
      '@ocsai/telemetry/metrics': fileURLToPath(
        new URL('./packages/telemetry/src/metrics.ts', import.meta.url),
      ),
      '@ocsai/telemetry': src('telemetry'),
      '@ocsai/emulator': src('emulator'),
      '@ocsai/mcp-server': src('mcp-server'),
      '@ocsai/router': src('router'),
      '@ocsai/client': src('client'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['packages/*/src/bin.ts', 'packages/*/src/cli.ts', '**/*.d.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        'packages/contract/src/**': floor,
        'packages/telemetry/src/**': floor,
        'packages/emulator/src/**': floor,
        'packages/mcp-server/src/**': floor,
        'packages/router/src/**': floor,
        'packages/client/src/**': floor,
      },
    },
  },
});
