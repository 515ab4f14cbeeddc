import type { Context } from 'hono';
import { RouterError } from '../errors.js';
import type { RouterEnv, RouterServices } from '../http/router-env.js';
import { McpCallError } from '../mcp/mcp-call-error.js';
import { type ChatRequest, type ChatResult, ProviderError, type StreamEvent } from '../providers/types.js';
import type { ToolLoop, ToolLoopEvent, ToolLoopOutcome, ToolLoopStart } from '../tool-loop/tool-loop.js';
import { attachConfirmation } from './answer-confirmation.js';
import type { CompletionTarget } from './completion-target.js';

/** The request header that turns the router's MCP tools on or off for one compatible-API request. */
export const TOOLS_HEADER = 'x-router-tools';

/**
 * The tool loop a compatible-API request runs through, or undefined for a plain provider call.
 * On when the principal's `tools_on_compatible_apis` says so or the request sends
 * `x-router-tools: on`; `off` turns it off for one request. Either way the principal's roles alone
 * decide which tools are offered: the header can only ask for what they already allow.
 */
export function compatibleToolLoop(c: Context<RouterEnv>, services: RouterServices): ToolLoop | undefined {
  const header = c.req.header(TOOLS_HEADER)?.trim().toLowerCase();
  if (header !== undefined && header !== 'on' && header !== 'off') {
    throw new RouterError(400, 'invalid_header', `${TOOLS_HEADER} must be "on" or "off"`);
  }
  const wanted = header === undefined ? c.get('principal').toolsOnCompatibleApis === true : header === 'on';
  // Without MCP servers there are no router tools to offer: the provider call runs as it is.
  return wanted && services.tools?.hasServers ? services.tools : undefined;
}

function loopStart(c: Context<RouterEnv>, target: CompletionTarget, chat: ChatRequest, stream: boolean) {
  const principal = c.get('principal');
  const { tools: clientTools, ...rest } = chat;
  const start: ToolLoopStart = {
    adapter: target.adapter,
    chat: rest,
    stream,
    // Roles from the credential only: nothing in the request widens them.
    access: { roles: principal.roles },
    principal: principal.id,
    timer: c.get('clock'),
    holdForPrincipal: true,
  };
  if (clientTools?.length) start.clientTools = clientTools;
  return start;
}

/**
 * The loop's outcome as one provider-neutral result: the client's own tool calls (if the model
 * ended on them), the summed usage, and for a held call the question with its confirmation view.
 */
function resultOf(outcome: ToolLoopOutcome, content: string): ChatResult {
  const result: ChatResult = {
    model: outcome.result.model,
    content,
    toolCalls: outcome.clientToolCalls ?? [],
    finishReason: outcome.finishReason === 'confirmation_required' ? 'stop' : outcome.finishReason,
    usage: outcome.usage,
  };
  if (outcome.result.id !== undefined) result.id = outcome.result.id;
  if (outcome.confirmation) attachConfirmation(result, outcome.confirmation);
  return result;
}

/** A cancelled tool call means the client went away: reported like an aborted upstream. */
function asProviderAbort(error: unknown, provider: string): unknown {
  if (error instanceof McpCallError && error.kind === 'aborted')
    return new ProviderError(provider, 'aborted', error.message, { cause: error });
  return error;
}

/** runCompletion through the tool loop: router tools run inside, the final answer comes back. */
export async function runToolCompletion(
  c: Context<RouterEnv>,
  loop: ToolLoop,
  target: CompletionTarget,
  chat: ChatRequest,
): Promise<ChatResult> {
  try {
    for await (const event of loop.run(loopStart(c, target, chat, false))) {
      if (event.type === 'done') return resultOf(event.outcome, event.outcome.content);
    }
  } catch (error) {
    throw asProviderAbort(error, target.adapter.name);
  }
  throw new ProviderError(target.adapter.name, 'upstream', 'The tool loop ended without an answer');
}

/**
 * streamCompletion through the tool loop. The model's text streams as it comes, from every turn
 * (text already sent cannot be taken back; turns are set apart by a blank line). Router tool calls
 * and results stay inside the router (the audit trail records them): the stream carries only the
 * client's own tool calls, as `tool_call` events just before `done`. A held call ends the stream
 * with its question as text and the confirmation on the `done` result. The result's content is
 * exactly the text streamed.
 */
export async function* streamToolCompletion(
  c: Context<RouterEnv>,
  loop: ToolLoop,
  target: CompletionTarget,
  chat: ChatRequest,
): AsyncGenerator<StreamEvent, void, undefined> {
  let streamed = '';
  let toolsSinceText = false;
  const text = (piece: string): StreamEvent => {
    const separated = toolsSinceText && streamed ? `\n\n${piece}` : piece;
    toolsSinceText = false;
    streamed += separated;
    return { type: 'text', text: separated };
  };
  let events: AsyncGenerator<ToolLoopEvent, void, undefined>;
  try {
    events = loop.run(loopStart(c, target, chat, true));
    for await (const event of events) {
      switch (event.type) {
        case 'delta':
          if (event.text) yield text(event.text);
          break;
        case 'tool_call':
        case 'tool_result':
          toolsSinceText = true;
          break;
        case 'confirmation':
          break;
        case 'done': {
          const { outcome } = event;
          if (outcome.confirmation) yield text(outcome.content);
          for (const call of outcome.clientToolCalls ?? []) yield { type: 'tool_call', call };
          yield { type: 'done', result: resultOf(outcome, streamed) };
          return;
        }
      }
    }
  } catch (error) {
    throw asProviderAbort(error, target.adapter.name);
  }
  throw new ProviderError(target.adapter.name, 'upstream', 'The tool loop ended without an answer');
}
