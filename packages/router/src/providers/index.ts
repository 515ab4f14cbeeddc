/**
 * The providers the router knows, in the order they are listed and documented. Adding a provider
 * is adding its folder (`<name>/index.ts` exporting a `defineProvider(...)`) and one entry here;
 * names, env schema, docs, required-variable checks and secret redaction all derive from this list.
 */
import { anthropic } from './anthropic/index.js';
import { azure } from './azure/index.js';
import { lmstudio } from './lmstudio/index.js';
import { ollama } from './ollama/index.js';
import { openai } from './openai/index.js';
import { openrouter } from './openrouter/index.js';

export const PROVIDERS = [openai, anthropic, azure, openrouter, ollama, lmstudio] as const;
