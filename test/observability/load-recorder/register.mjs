// Preloaded with `node --import` (NODE_OPTIONS) by tracing-off.test.ts: records every module the
// process loads into the JSON-lines file LOAD_RECORD_FILE. ES modules are seen by a resolve hook
// (hooks.mjs, on the loader thread, written as they resolve); CommonJS modules, which Node 20's
// require() loads without the hooks, are read from the require cache when the process exits, each
// with the modules that required it.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.LOAD_RECORD_FILE;
if (!out) throw new Error('load-recorder: LOAD_RECORD_FILE is not set');
register('./hooks.mjs', import.meta.url, { data: { out } });

process.on('exit', () => {
  const cache = createRequire(import.meta.url).cache;
  const requiredBy = new Map();
  for (const parent of Object.values(cache)) {
    for (const child of parent?.children ?? []) {
      requiredBy.set(child.filename, [...(requiredBy.get(child.filename) ?? []), parent.filename]);
    }
  }
  const lines = Object.keys(cache).map((file) =>
    JSON.stringify({ cjs: file, requiredBy: requiredBy.get(file) ?? [] }),
  );
  appendFileSync(out, `${lines.join('\n')}\n`);
});
