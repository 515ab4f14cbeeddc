import { PROVIDER_NAMES, type ProviderName } from '../../src/providers/types.js';
import { type FakeServer, providerEnvFor, startFakeFor } from '../fakes/index.js';

/** One fake upstream per provider and the env that points every provider of a router at them. */
export async function startAllFakes(): Promise<{
  fakes: Record<ProviderName, FakeServer>;
  env: Record<string, string>;
  close(): Promise<void>;
}> {
  const entries = await Promise.all(
    PROVIDER_NAMES.map(async (name) => [name, await startFakeFor[name]()] as const),
  );
  const fakes = Object.fromEntries(entries) as Record<ProviderName, FakeServer>;
  // MCP_CONFIG=none: these routers have no tools even though the repo root holds an mcp.json.
  const env: Record<string, string> = { ROUTER_STORE: 'memory', MCP_CONFIG: 'none' };
  for (const name of PROVIDER_NAMES) Object.assign(env, providerEnvFor(name, fakes[name]));
  return {
    fakes,
    env,
    close: async () => {
      await Promise.all(Object.values(fakes).map((fake) => fake.close()));
    },
  };
}
