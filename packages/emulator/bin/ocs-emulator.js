#!/usr/bin/env node
// Committed, so npm links the ocs-emulator bin at install time, before `npm run build` has made dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'ocs-emulator: not built yet. Run "npm run build" in the repository (npm start builds it too).\n',
  );
  process.exit(1);
}
await import(entry.href);
