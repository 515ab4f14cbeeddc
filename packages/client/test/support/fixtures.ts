import type { AskResponse, Confirmation } from '../../src/index.js';

export function answer(overrides: Partial<AskResponse> = {}): AskResponse {
  const content = overrides.content ?? 'The balance of 447700900123 is 12.50 GBP.';
  return {
    id: 'resp_1',
    provider: 'openai',
    model: 'gpt-test',
    content,
    message: { role: 'assistant', content },
    finish_reason: 'stop',
    tool_calls: [],
    usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
    latency_ms: 42,
    attempts: 1,
    ...overrides,
  };
}

export const confirmation: Confirmation = {
  id: 'conf_1',
  tool: 'delete_subscriber',
  server: 'ocs',
  arguments: { msisdn: '447700900123' },
  message: 'Delete subscriber 447700900123 and all balances',
  expires_at: '2026-11-22T01:00:00.000Z',
};

export function confirmationNeeded(): AskResponse {
  return answer({
    content: '',
    finish_reason: 'confirmation_required',
    confirmation,
    tool_calls: [
      { id: 'call_1', server: 'ocs', name: 'delete_subscriber', arguments: { msisdn: '447700900123' } },
    ],
  });
}
