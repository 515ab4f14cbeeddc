import { performance } from 'node:perf_hooks';
import {
  type ContentCapture,
  contentCapture,
  genAiProviderName,
  inferenceAttributes,
  inferenceSpanName,
  OCSAI,
  type Redactor,
  tracingActive,
  withSpan,
} from '@ocsai/telemetry';
import type { GenAiClientMetrics, InferenceMeasurement } from '@ocsai/telemetry/metrics';
import { type ChatRequest, type ChatResult, ProviderError } from '../providers/types.js';

/** How one provider attempt ended, once: a result, an error, or nothing (the client went away mid-stream). */
export interface InferenceObservation {
  succeeded(result: ChatResult): void;
  failed(error: unknown): void;
  /** Ends an observation that neither succeeded nor failed (a stream the client closed). */
  end(): void;
}

const SILENT: InferenceObservation = { succeeded() {}, failed() {}, end() {} };

export interface InferenceAttempt {
  provider: string;
  model: string;
  request: ChatRequest;
  /** 1 for the first call of the request, counting retries and fallbacks. */
  attempt: number;
  fallback: boolean;
}

/** A low-cardinality class of a failure, for error.type on the span and the duration metric. */
function errorType(error: unknown): string {
  return error instanceof ProviderError ? error.kind : error instanceof Error ? error.name : 'error';
}

/**
 * Each provider attempt (every retry and fallback) as one GenAI client span `chat {model}` and in
 * gen_ai_client_token_usage / gen_ai_client_operation_duration_seconds. With tracing off only
 * the two histograms are touched: no span, no attribute object.
 */
export class InferenceTelemetry {
  readonly #metrics: Pick<GenAiClientMetrics, 'record'> | undefined;
  readonly #capture: ContentCapture | undefined;

  constructor(options: {
    metrics?: Pick<GenAiClientMetrics, 'record'>;
    redactor?: Redactor;
    env?: Record<string, string | undefined>;
  }) {
    this.#metrics = options.metrics;
    this.#capture = options.redactor
      ? contentCapture({ redactor: options.redactor, ...(options.env ? { env: options.env } : {}) })
      : undefined;
  }

  begin(call: InferenceAttempt): InferenceObservation {
    const metrics = this.#metrics;
    if (!metrics && !tracingActive()) return SILENT;
    const started = performance.now();
    const provider = genAiProviderName(call.provider);
    // Members set one by one: conditional spreads into a literal take V8's slow path on Node 20.
    const record = (result: ChatResult | undefined, error: unknown) => {
      if (!metrics) return;
      const measurement: InferenceMeasurement = {
        provider,
        requestModel: call.model,
        durationSeconds: (performance.now() - started) / 1000,
      };
      if (result?.usage) {
        measurement.inputTokens = result.usage.inputTokens;
        measurement.outputTokens = result.usage.outputTokens;
      }
      if (error !== undefined) measurement.errorType = errorType(error);
      metrics.record(measurement);
    };
    if (!tracingActive()) {
      return {
        succeeded: (result) => record(result, undefined),
        failed: (error) => record(undefined, error),
        end() {},
      };
    }
    // The span stays open until the attempt settles: for a stream, at its end.
    let settle!: (outcome: { result?: ChatResult; error?: unknown }) => void;
    const settled = new Promise<{ result?: ChatResult; error?: unknown }>((resolve) => {
      settle = resolve;
    });
    const capture = this.#capture;
    void withSpan(
      inferenceSpanName({ requestModel: call.model }),
      {
        kind: 'client',
        attributes: {
          ...inferenceAttributes({ provider: call.provider, requestModel: call.model }),
          [OCSAI.ATTEMPT]: call.attempt,
          [OCSAI.FALLBACK]: call.fallback,
          ...capture?.inputMessages(call.request.messages),
        },
      },
      async (span) => {
        const { result, error } = await settled;
        if (error !== undefined) {
          const failure = new Error(error instanceof Error ? error.message : String(error));
          failure.name = errorType(error);
          throw failure;
        }
        if (!result) return;
        span.setAttributes(
          inferenceAttributes({
            provider: call.provider,
            requestModel: call.model,
            responseModel: result.model,
            ...(result.id ? { responseId: result.id } : {}),
            ...(result.usage
              ? { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens }
              : {}),
            finishReasons: [result.finishReason],
          }),
        );
        const output = capture?.outputMessages([
          { role: 'assistant', content: result.content, tool_calls: result.toolCalls },
        ]);
        if (output) span.setAttributes(output);
      },
    ).catch(() => {});
    let done = false;
    return {
      succeeded(result) {
        if (done) return;
        done = true;
        record(result, undefined);
        settle({ result });
      },
      failed(error) {
        if (done) return;
        done = true;
        record(undefined, error);
        settle({ error });
      },
      end() {
        if (done) return;
        done = true;
        settle({});
      },
    };
  }
}
