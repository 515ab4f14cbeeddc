// The bench must measure the services launched as the container image launches them: one list of launch
// settings (bench/service-launch.mjs) that the Dockerfile's runtime stage must carry too.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface ServiceLaunch {
  IMAGE_ENV: Readonly<Record<string, string>>;
  serviceEnv(args: string[], env: Record<string, string>, imageEnv?: boolean): Record<string, string>;
}
interface Processes {
  spawnService(
    name: string,
    command: string,
    args: string[],
    options?: { env?: Record<string, string>; imageEnv?: boolean },
  ): { stop(): Promise<void> };
  firstJsonLine(service: unknown): Promise<Record<string, unknown>>;
}
const harness = (file: string): Promise<unknown> => import(new URL(`../${file}`, import.meta.url).href);
const { IMAGE_ENV, serviceEnv } = (await harness('service-launch.mjs')) as ServiceLaunch;
const { spawnService, firstJsonLine } = (await harness('processes.mjs')) as Processes;

/** Every NAME=value of the ENV instructions after the last FROM (the runtime stage), continuations joined. */
function runtimeStageEnv(dockerfile: string): Record<string, string> {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n');
  const stage = lines.slice(lines.findLastIndex((line) => /^FROM\s/i.test(line)));
  const env: Record<string, string> = {};
  for (const line of stage) {
    const match = /^ENV\s+(.*)$/i.exec(line.trim());
    if (!match?.[1]) continue;
    for (const pair of match[1].split(/\s+/).filter(Boolean)) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

/** Variables that change how node or its allocator runs, rather than configuring a service. */
const isLaunchSetting = (name: string) =>
  name.startsWith('MALLOC_') || name === 'GLIBC_TUNABLES' || name === 'NODE_OPTIONS';

describe('the launch settings the image and the bench share', () => {
  const imageEnv = runtimeStageEnv(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8'));

  it('every one of them is set in the Dockerfile runtime stage, with the same value', () => {
    expect(Object.keys(IMAGE_ENV).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(IMAGE_ENV)) expect(imageEnv[name], name).toBe(value);
  });

  it('the Dockerfile sets no launch setting the bench does not know of', () => {
    const inImage = Object.keys(imageEnv).filter(isLaunchSetting).sort();
    expect(inImage).toEqual(Object.keys(IMAGE_ENV).filter(isLaunchSetting).sort());
  });

  it("go to our services' bins, not to other processes, and give way to a launch's own settings", () => {
    expect(serviceEnv(['/repo/packages/router/dist/bin.js'], { A: '1' })).toEqual({ ...IMAGE_ENV, A: '1' });
    expect(serviceEnv(['--flag', 'packages/mcp-server/dist/bin.js', '--http'], {})).toEqual(IMAGE_ENV);
    expect(serviceEnv(['packages/emulator/dist/bin.js'], {})).toEqual(IMAGE_ENV);
    expect(serviceEnv(['bench/fake-upstream.mjs'], { A: '1' })).toEqual({ A: '1' });
    expect(serviceEnv(['packages/router/dist/bin.js'], {}, false)).toEqual({});
    const [name] = Object.keys(IMAGE_ENV) as [string];
    expect(serviceEnv(['packages/router/dist/bin.js'], { [name]: '0' })[name]).toBe('0');
  });

  it('reach the child that spawnService starts', async () => {
    // `node -e` leaves the bin's path in argv without running it: the child only reports its environment.
    const printEnv = 'console.log(JSON.stringify(process.env))';
    const bin = 'packages/router/dist/bin.js';
    const service = spawnService('env probe', process.execPath, ['-e', printEnv, bin]);
    const bare = spawnService('bare env probe', process.execPath, ['-e', printEnv, bin], { imageEnv: false });
    try {
      const [env, bareEnv] = await Promise.all([firstJsonLine(service), firstJsonLine(bare)]);
      for (const [key, value] of Object.entries(IMAGE_ENV)) {
        expect(env[key], key).toBe(value);
        expect(bareEnv[key], key).toBeUndefined();
      }
    } finally {
      await Promise.all([service.stop(), bare.stop()]);
    }
  });
});
