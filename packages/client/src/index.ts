/**
 * @ocsai/client: a typed, dependency-free client of the OCS AI router. Uses only Web-standard APIs
 * (fetch, AbortController, ReadableStream, TextDecoder), so it runs in Node 20+ and in browsers.
 */
export {
  kindForStatus,
  NetworkError,
  parseRetryAfter,
  RouterClientError,
  RouterError,
  type RouterErrorInit,
  type RouterErrorKind,
  TimeoutError,
} from './errors.js';
export {
  DEFAULT_BASE_URL,
  type FetchLike,
  type RequestOptions,
  RouterClient,
  type RouterClientOptions,
} from './router-client.js';
export { type ReadSseOptions, readSseStream, type SseMessage, SseParser } from './sse.js';
export * from './types.js';
