/** One Server-Sent Event frame. */
export function sseFrame(event: string | undefined, data: unknown): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return event ? `event: ${event}\ndata: ${payload}\n\n` : `data: ${payload}\n\n`;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/**
 * Waits for the first frame before the response is committed, so a failure before the first
 * token still gets a proper HTTP status instead of a 200 carrying an error event.
 */
export async function startEventStream(
  frames: AsyncGenerator<string, void, undefined>,
): Promise<ReadableStream<Uint8Array>> {
  const first = await frames.next();
  const encoder = new TextEncoder();
  let pending: IteratorResult<string, void> | undefined = first;
  // highWaterMark 0: pull only when the socket wants more, so each frame is written as it arrives
  // and a slow client applies back-pressure all the way to the upstream.
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const step = pending ?? (await frames.next());
          pending = undefined;
          if (step.done) controller.close();
          else controller.enqueue(encoder.encode(step.value));
        } catch (error) {
          controller.error(error);
        }
      },
      cancel() {
        // The upstream is aborted through the request's AbortSignal; this releases the generator.
        frames.return(undefined).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}
