import type { RouterClientError } from '../errors.js';
import { RouterError } from '../errors.js';
import type {
  AskResponse,
  Confirmation,
  StreamToolCall,
  StreamToolResult,
  ToolCallRecord,
} from '../types.js';

/** ANSI styling that collapses to plain text when colours are off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const COLOUR_STYLE: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  green: ansi(32, 39),
  red: ansi(31, 39),
  yellow: ansi(33, 39),
  cyan: ansi(36, 39),
};

const identity = (text: string) => text;
export const PLAIN_STYLE: Style = {
  bold: identity,
  dim: identity,
  green: identity,
  red: identity,
  yellow: identity,
  cyan: identity,
};

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  const noColor = env['NO_COLOR'];
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}

const MAX_ARGUMENTS_CHARS = 80;

/** `{"msisdn":"447…"}` shortened to one line. */
export function compactArguments(args: unknown): string {
  const text = JSON.stringify(args ?? {}) ?? '';
  return text.length > MAX_ARGUMENTS_CHARS ? `${text.slice(0, MAX_ARGUMENTS_CHARS - 1)}…` : text;
}

function toolLabel(call: { server?: string | null | undefined; name: string }): string {
  return call.server ? `${call.server}/${call.name}` : call.name;
}

/** One line per tool call: ✓/✗, name, arguments, duration. A call without a result gets "·". */
export function renderToolCalls(calls: ToolCallRecord[], style: Style): string {
  return calls
    .map((call) => {
      const mark =
        call.is_error === true
          ? style.red('✗')
          : call.is_error === false || call.result !== undefined
            ? style.green('✓')
            : style.dim('·');
      const duration = call.duration_ms === undefined ? '' : style.dim(` ${call.duration_ms} ms`);
      return `${mark} ${style.cyan(toolLabel(call))} ${style.dim(compactArguments(call.arguments))}${duration}\n`;
    })
    .join('');
}

/** The plain-mode answer: text, then the tool calls that produced it. */
export function renderAnswer(response: AskResponse, style: Style): string {
  let out = response.content;
  if (!out.endsWith('\n')) out += '\n';
  if (response.tool_calls.length > 0)
    out += `\n${style.bold('Tools:')}\n${renderToolCalls(response.tool_calls, style)}`;
  return out;
}

export function renderConfirmation(confirmation: Confirmation, style: Style): string {
  const args = JSON.stringify(confirmation.arguments ?? {}, null, 2)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return (
    `${style.yellow(style.bold('Confirmation required'))}\n` +
    `  Tool:      ${style.cyan(toolLabel({ server: confirmation.server, name: confirmation.tool }))}\n` +
    `  Message:   ${confirmation.message}\n` +
    `  Arguments:\n${args}\n` +
    `  Expires:   ${confirmation.expires_at}\n`
  );
}

export function renderStreamToolCall(call: StreamToolCall, style: Style): string {
  return `${style.dim('→')} ${style.cyan(toolLabel(call))} ${style.dim(compactArguments(call.arguments))}\n`;
}

export function renderStreamToolResult(result: StreamToolResult, style: Style): string {
  const mark = result.is_error ? style.red('✗') : style.green('✓');
  return `${mark} ${style.cyan(toolLabel(result))}${style.dim(` ${result.duration_ms} ms`)}\n`;
}

/** A stderr note when the answer is incomplete, so a truncated answer is not taken for a whole one. */
export function renderFinishNote(response: AskResponse): string {
  switch (response.finish_reason) {
    case 'length':
      return 'ocs-ask: the answer was cut off at the token limit\n';
    case 'content_filter':
      return "ocs-ask: the provider's content filter stopped the answer\n";
    default:
      return '';
  }
}

/** One or more lines for stderr; never a stack trace. */
export function renderError(error: RouterClientError): string {
  if (!(error instanceof RouterError)) return `ocs-ask: ${error.message}\n`;
  const status = error.kind === 'stream' ? 'stream error' : `error ${error.status}`;
  let out = `ocs-ask: router ${status} (${error.type}): ${error.message}\n`;
  for (const issue of error.issues) out += `  - ${issue.path || '(body)'}: ${issue.message}\n`;
  if (error.provider) out += `  provider: ${error.provider}\n`;
  if (error.retryAfterSeconds !== undefined) out += `  retry after: ${error.retryAfterSeconds} s\n`;
  if (error.requestId) out += `  request id: ${error.requestId}\n`;
  return out;
}
