// The load hook of module-probe.mjs (runs in Node's hooks thread): reports every module URL loaded.
/** @type {import('node:worker_threads').MessagePort | undefined} */
let port;

/** @param {{ port: import('node:worker_threads').MessagePort }} data */
export function initialize(data) {
  port = data.port;
}

/**
 * @param {string} url
 * @param {object} context
 * @param {(url: string, context: object) => Promise<unknown>} next
 */
export async function load(url, context, next) {
  port?.postMessage(url);
  return next(url, context);
}
