export { type CreateAppOptions, createEmulatorApp } from './app.js';
export { type EmulatorEnv, emulatorEnvSchema, loadEmulatorConfig } from './config.js';
export type { Fidelity } from './http/app-env.js';
export { generateTransactionId, TRANSACTION_HEADER } from './http/transaction-id.js';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './server.js';
export { OcsStore } from './store/ocs-store.js';
