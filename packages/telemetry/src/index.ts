export {
  captureContentEnabled,
  readTracingConfig,
  type SamplerName,
  TelemetryConfigError,
  type TracingConfig,
} from './config.js';
export {
  type ContentCapture,
  contentCapture,
  executeToolAttributes,
  executeToolSpanName,
  GEN_AI,
  genAiProviderName,
  type InferenceCall,
  inferenceAttributes,
  inferenceSpanName,
  MCP,
  OCSAI,
  type Redactor,
  type ToolExecution,
} from './genai.js';
export {
  currentTraceIds,
  extractTraceContext,
  injectTraceContext,
  type SpanKindName,
  type SpanOptions,
  type StartTracingOptions,
  startTracing,
  type TraceCarrier,
  type TraceIds,
  type Tracing,
  tracingActive,
  withSpan,
} from './tracing.js';
export { keepWasmOnLiftoff } from './wasm-tiering.js';
export { boundYoungGeneration, youngGenerationBytes } from './young-generation.js';
