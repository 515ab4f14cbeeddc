import { z } from 'zod';
import { baseUrl, defineProvider } from '../definition.js';
import { OllamaAdapter } from './adapter.js';

export const ollama = defineProvider({
  name: 'ollama',
  env: {
    OLLAMA_HOST: baseUrl('http://localhost:11434').describe('Ollama server URL (native API, no auth).'),
    OLLAMA_MODEL: z.string().min(1).default('llama3.2').describe('Default Ollama model.'),
  },
  required: [],
  chosenBy: ['OLLAMA_HOST', 'OLLAMA_MODEL'],
  defaultModel: (settings) => settings.OLLAMA_MODEL,
  create: (settings, { timeouts, secrets }) =>
    new OllamaAdapter({ host: settings.OLLAMA_HOST, defaultModel: settings.OLLAMA_MODEL, timeouts, secrets }),
});
