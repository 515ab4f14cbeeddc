// Preloaded into a spawned service (NODE_OPTIONS=--import=<this file>): on SIGUSR2 it writes to
// stderr which npm packages the process has loaded so far, as `modules-loaded=<JSON array>`. ES
// modules are seen by a load hook (module.register, in the hooks thread, reporting each URL over a
// MessagePort); CommonJS ones from the module cache that every require() in the process shares.
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const urls = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => urls.add(url));
port1.unref();
register(new URL('./module-probe-hooks.mjs', import.meta.url), {
  data: { port: port2 },
  transferList: [port2],
});

const { cache } = createRequire(import.meta.url);
const PACKAGE = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;
process.on('SIGUSR2', () => {
  const packages = new Set();
  for (const file of [...urls, ...Object.keys(cache)]) {
    const name = PACKAGE.exec(file)?.[1];
    if (name) packages.add(name);
  }
  process.stderr.write(`modules-loaded=${JSON.stringify([...packages].sort())}\n`);
});
