/**
 * The router's one internal model of a chat exchange (model.ts) and the names of the providers
 * that speak it (derived from the provider list).
 */
export { PROVIDER_NAMES, type ProviderName } from './catalogue.js';
export * from './model.js';
