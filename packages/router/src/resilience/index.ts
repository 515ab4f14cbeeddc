export { exponentialDelay, fullJitterDelay, ReconnectBackoff, retryDelay } from './backoff.js';
export { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
export { loadCockatiel } from './cockatiel.js';
export { type FallbackTarget, type ResilienceConfig, resilienceEnvShape } from './resilience-config.js';
export {
  type AnsweredBy,
  answeredBy,
  ResilientProviders,
  type ResilientProvidersOptions,
} from './resilient-adapter.js';
