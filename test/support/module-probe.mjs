// Preloaded into a spawned service (NODE_OPTIONS=--import=<this file>): on SIGUSR2 it writes to
// stderr which npm packages the process has loaded so far, as `modules-loaded=<JSON array>`, and
// the moment its first server starts listening, as `modules-at-listening=<JSON array>` (what it
// loaded before it could answer anything: a package loaded after the port opens cannot delay the
// first healthy answer). ES modules are seen by a load hook (module.register, in the hooks thread,
// reporting each URL over a MessagePort, so the last few may not have arrived at the listening
// moment); CommonJS ones from the module cache that every require() in the process shares, which
// is exact at any moment.
import { createRequire, register } from 'node:module';
import { Server } from 'node:net';
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
/** @param {string} label */
function report(label) {
  const packages = new Set();
  for (const file of [...urls, ...Object.keys(cache)]) {
    const name = PACKAGE.exec(file)?.[1];
    if (name) packages.add(name);
  }
  process.stderr.write(`${label}=${JSON.stringify([...packages].sort())}\n`);
}
process.on('SIGUSR2', () => report('modules-loaded'));

// Registered before the server's own listen callback, so it runs first: nothing the service does
// once it listens has run yet.
const listen = Server.prototype.listen;
let listened = false;
Server.prototype.listen = function (...args) {
  this.once('listening', () => {
    if (listened) return;
    listened = true;
    report('modules-at-listening');
  });
  return listen.apply(this, args);
};
