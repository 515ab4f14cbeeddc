/** The top-level fields of every /ask answer (README "Response"), whichever provider answered. */
export const ANSWER_KEYS = [
  'attempts',
  'content',
  'finish_reason',
  'id',
  'latency_ms',
  'message',
  'model',
  'provider',
  'tool_calls',
  'usage',
].sort();
