/**
 * The one place the cross-package observability tests reach into the router's test fakes: the
 * router's own test tree is being reorganised, so when a fake moves only these imports change.
 */
import { startRouter } from '@ocsai/router';
import { providerEnvFor, startFakeOpenAI } from '../../packages/router/test/fakes/index.js';

export {
  FAKE_KEYS,
  type FakeServer,
  providerEnvFor,
  startFakeOpenAI,
} from '../../packages/router/test/fakes/index.js';
export {
  buildPackages,
  REPO,
  type SpawnedService,
  spawnService,
} from '../../packages/router/test/resilience/spawned-service.js';

export interface RouterUnderTest {
  url: string;
  /** host:port, for a scrape target. */
  hostPort: string;
  close(): Promise<void>;
}

/** A router on a free loopback port whose only provider (openai) is a fake answering every call. */
export async function startRouterWithFakeProvider(
  env: Record<string, string> = {},
  usage = { input: 11, output: 7 },
): Promise<RouterUnderTest> {
  const fake = await startFakeOpenAI(() => ({ text: 'ok', usage }));
  const router = await startRouter({
    env: {
      ROUTER_STORE: 'memory',
      MCP_CONFIG: 'none',
      LLM_PROVIDER: 'openai',
      ...providerEnvFor('openai', fake),
      ...env,
    },
    host: '127.0.0.1',
    port: 0,
    logger: false,
  });
  return {
    url: router.url,
    hostPort: new URL(router.url).host,
    close: async () => {
      await router.close();
      await fake.close();
    },
  };
}
