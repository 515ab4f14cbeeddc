// Preloaded into a spawned router (NODE_OPTIONS=--import): on SIGUSR2 it says whether better-sqlite3
// has been loaded, from the CommonJS module cache that every require() in the process shares.
import { createRequire } from 'node:module';

const { cache } = createRequire(import.meta.url);
process.on('SIGUSR2', () => {
  const loaded = Object.keys(cache).some((file) => file.includes('/better-sqlite3/'));
  process.stderr.write(`better-sqlite3-loaded=${loaded}\n`);
});
