import { describe, expect, it } from 'vitest';

type Launch = { nodeArgs: string[]; env: Record<string, string>; imageEnv: boolean };
const { launchOf } = (await import(new URL('../launch-words.mjs', import.meta.url).href)) as {
  launchOf: (launch: string) => Launch;
};

describe('launch words of the paired launch scripts', () => {
  it('splits node flags, environment settings and --bare', () => {
    expect(
      launchOf('--bare --max-semi-space-size=8 MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072'),
    ).toEqual({
      nodeArgs: ['--max-semi-space-size=8'],
      env: { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' },
      imageEnv: false,
    });
  });
  it("'' is the launch as the image makes it", () => {
    expect(launchOf('')).toEqual({ nodeArgs: [], env: {}, imageEnv: true });
  });
});
