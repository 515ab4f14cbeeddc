export * from './parse-env.js';
