import { readFileSync } from 'node:fs';

/**
 * The package root. src/, dist/ and the image's single-file bundle in dist/ all sit one level under
 * it, so files found from here (package.json, the console build) resolve the same in all three.
 */
export const PACKAGE_ROOT = new URL('../', import.meta.url);

/** The package version, read once. */
export const ROUTER_VERSION: string = (
  JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version: string }
).version;
