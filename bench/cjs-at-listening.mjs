// Preloaded into a service (NODE_OPTIONS=--import=<this file>) by ab-router-builds.mjs: when its first
// server starts listening, writes to stderr how many CommonJS modules it has loaded by then, and how
// many of them belong to prom-client and @opentelemetry/api, as `cjs-at-listening=<JSON>`. The CommonJS
// cache is exact at any moment (an ES module load hook reports from another thread, later).
import { createRequire } from 'node:module';
import { Server } from 'node:net';

const { cache } = createRequire(import.meta.url);
const listen = Server.prototype.listen;
let reported = false;
/** @type {(this: Server, ...args: unknown[]) => Server} */
function listening(...args) {
  this.once('listening', () => {
    if (reported) return;
    reported = true;
    const files = Object.keys(cache);
    const metrics = files.filter((f) =>
      /[\\/]node_modules[\\/](prom-client|@opentelemetry[\\/]api)[\\/]/.test(f),
    );
    process.stderr.write(
      `cjs-at-listening=${JSON.stringify({ all: files.length, metrics: metrics.length })}\n`,
    );
  });
  return listen.apply(this, /** @type {Parameters<typeof listen>} */ (args));
}
Server.prototype.listen = /** @type {typeof listen} */ (listening);
