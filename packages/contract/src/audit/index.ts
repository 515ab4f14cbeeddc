export * from './audit-log.js';
export * from './canonical-json.js';
export * from './record.js';
export * from './secret-redactor.js';
export * from './verify.js';
