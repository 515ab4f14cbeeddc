import { readFileSync } from 'node:fs';

/** The package version, read once; package.json sits one level above both src/ and dist/. */
export const ROUTER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
