/** Enough of the body's tail to hold the final usage object of a JSON answer or an SSE `done` frame. */
const TAIL_CHARS = 8192;
const TOTAL_TOKENS = /"total_tokens":\s*(\d+)/g;
/** Anthropic's usage has no total: its parts are added up (the last value of each, as they are cumulative). */
const ANTHROPIC_USAGE =
  /"(input_tokens|output_tokens|cache_creation_input_tokens|cache_read_input_tokens)":\s*(\d+)/g;

function anthropicTotal(tail: string): number | undefined {
  const parts = new Map<string, number>();
  for (const match of tail.matchAll(ANTHROPIC_USAGE)) parts.set(match[1]!, Number(match[2]));
  if (!parts.size) return undefined;
  let total = 0;
  for (const value of parts.values()) total += value;
  return total;
}

/**
 * Passes a response body through unchanged and reports the last `"total_tokens": N` seen in it
 * (the /ask answer, its SSE `done` frame, or an OpenAI-style usage object), or else the sum of
 * Anthropic's usage counts (a Messages answer or its final message_delta), once the body ends.
 * Model text cannot forge it: inside a JSON string the quotes would be escaped.
 */
export function meterTokens(
  body: ReadableStream<Uint8Array>,
  onTotal: (tokens: number) => void,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  let tail = '';
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        tail = (tail + decoder.decode(chunk, { stream: true })).slice(-TAIL_CHARS);
        controller.enqueue(chunk);
      },
      flush() {
        let total: number | undefined;
        for (const match of tail.matchAll(TOTAL_TOKENS)) total = Number(match[1]);
        total ??= anthropicTotal(tail);
        if (total !== undefined && Number.isSafeInteger(total)) onTotal(total);
      },
    }),
  );
}
