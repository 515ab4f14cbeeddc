/** The tool loop: MCP tools offered to any provider, executed, fed back, confirmed by humans. */

export {
  createPendingConfirmationStore,
  MemoryPendingConfirmationStore,
  type PendingConfirmation,
  type PendingConfirmationStore,
  SqlitePendingConfirmationStore,
} from '../stores/pending-confirmations/index.js';
export {
  type ConfirmationRequest,
  confirmationFromInputRequired,
  confirmationFromResult,
  withoutConfirmationToken,
} from './confirmation-request.js';
export { createRouterTools, type RouterTools, type RouterToolsSettings } from './router-tools.js';
export { FALLBACK_ROLE, ToolAccess, type ToolAccessRequest } from './tool-access.js';
export {
  type ConfirmationView,
  DEFAULT_TOOL_LOOP_SETTINGS,
  type LoopFinishReason,
  type LoopTimer,
  type PendingResume,
  type ResumeLookup,
  type ToolCallView,
  ToolLoop,
  type ToolLoopEvent,
  type ToolLoopOutcome,
  type ToolLoopSettings,
  type ToolLoopStart,
} from './tool-loop.js';
export { type ExecutedToolCall, ToolRunner } from './tool-runner.js';
export { fenceToolResult, TOOL_SYSTEM_INSTRUCTIONS } from './untrusted-tool-result.js';
