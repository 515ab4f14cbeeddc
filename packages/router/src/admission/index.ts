export {
  type Admission,
  Credentials,
  createAdmission,
  createCredentials,
  ENV_KEYS_PRINCIPAL,
  LOCAL_PRINCIPAL,
} from './admission.js';
export { type AdmissionConfig, admissionEnvShape } from './admission-config.js';
export { ApiKeyVerifier, assertAuthForHost, hashApiKey, isLoopbackHost, PrincipalKeys } from './api-keys.js';
export { MemoryRateLimiter } from './memory-rate-limiter.js';
export { OidcVerifier } from './oidc.js';
export {
  APPROVER_ROLE,
  assertMayActFor,
  assertMayUse,
  loadKeysFile,
  loadKeysFileParser,
  mayActFor,
  type Principal,
  principalView,
} from './principal.js';
export type { Admit, RateLimiter, RateLimits } from './rate-limiter.js';
export { RedisRateLimiter } from './redis-rate-limiter.js';
export { meterTokens } from './token-meter.js';
