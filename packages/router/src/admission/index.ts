export { type Admission, admissionMiddlewares, createAdmission, OPEN_PATHS } from './admission.js';
export { type AdmissionConfig, admissionEnvShape } from './admission-config.js';
export { ApiKeyVerifier, assertAuthForHost, hashApiKey, isLoopbackHost } from './api-keys.js';
export { MemoryRateLimiter } from './memory-rate-limiter.js';
export type { Admit, RateLimiter, RateLimits } from './rate-limiter.js';
export { RedisRateLimiter } from './redis-rate-limiter.js';
export { meterTokens } from './token-meter.js';
