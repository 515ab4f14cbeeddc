import { RouterClientError } from '../errors.js';
import { type FetchLike, RouterClient } from '../router-client.js';
import type { AskRequest, AskResponse, Confirmation } from '../types.js';
import { type CliOptions, HELP_TEXT, parseCliArgs, UsageError } from './args.js';
import { type CliInput, isApproval, readAll, readLine } from './confirm.js';
import {
  COLOUR_STYLE,
  PLAIN_STYLE,
  renderAnswer,
  renderConfirmation,
  renderError,
  renderFinishNote,
  renderStreamToolCall,
  renderStreamToolResult,
  type Style,
  useColour,
} from './render.js';
import { createSpinner, type Spinner } from './spinner.js';

/** A writable the CLI prints to; `isTTY` decides colours and the spinner. */
export interface CliOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Everything the CLI touches outside itself, injectable for tests. */
export interface CliIo {
  stdin: CliInput;
  stdout: CliOutput;
  stderr: CliOutput;
  env: Record<string, string | undefined>;
  /** Printed by --version. */
  version: string;
  /** fetch to use (the global one by default). */
  fetch?: FetchLike;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}

export const EXIT_CODES = {
  ok: 0,
  usage: 1,
  router: 2,
  confirmationUnanswerable: 3,
  interrupted: 130,
} as const;

/** A router that keeps asking would otherwise loop forever under --yes. */
const MAX_CONFIRMATION_ROUNDS = 20;

/** Runs `ocs-ask` with `argv` (without node and script path); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv, io.env);
    if (options.help) {
      io.stdout.write(HELP_TEXT);
      return EXIT_CODES.ok;
    }
    if (options.version) {
      io.stdout.write(`${io.version}\n`);
      return EXIT_CODES.ok;
    }
    if (options.question === undefined && io.stdin.isTTY !== true) {
      const piped = (await readAll(io.stdin)).trim();
      if (piped !== '') options.question = piped;
    }
    if (options.question === undefined) throw new UsageError('a question is required');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`ocs-ask: ${error.message}\nRun "ocs-ask --help" for usage.\n`);
    return EXIT_CODES.usage;
  }

  const session = new AskSession(options, io);
  try {
    return await session.run(options.question);
  } catch (error) {
    session.spinner.stop();
    if (io.signal?.aborted) {
      io.stderr.write('ocs-ask: interrupted\n');
      return EXIT_CODES.interrupted;
    }
    const message =
      error instanceof RouterClientError
        ? renderError(error)
        : `ocs-ask: ${error instanceof Error ? error.message : String(error)}\n`;
    io.stderr.write(message);
    return EXIT_CODES.router;
  }
}

/** One question, followed through any confirmations to the final answer. */
class AskSession {
  readonly spinner: Spinner;
  private readonly client: RouterClient;
  private readonly style: Style;

  constructor(
    private readonly options: CliOptions,
    private readonly io: CliIo,
  ) {
    this.spinner = createSpinner(io.stderr);
    this.style = useColour(io.stdout, io.env) ? COLOUR_STYLE : PLAIN_STYLE;
    this.client = new RouterClient({
      baseUrl: options.url,
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
      ...(io.fetch ? { fetch: io.fetch } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  async run(question: string): Promise<number> {
    const { provider, model, user } = this.options;
    let request: AskRequest = {
      message: question,
      ...(provider ? { provider } : {}),
      ...(model ? { model } : {}),
      ...(user ? { user_id: user } : {}),
    };
    for (let round = 0; ; round++) {
      const response = this.options.stream ? await this.streamOnce(request) : await this.askOnce(request);
      this.io.stderr.write(renderFinishNote(response));
      const confirmation =
        response.finish_reason === 'confirmation_required' ? response.confirmation : undefined;
      if (!confirmation) return EXIT_CODES.ok;
      if (round >= MAX_CONFIRMATION_ROUNDS) {
        this.io.stderr.write(`ocs-ask: gave up after ${MAX_CONFIRMATION_ROUNDS} confirmations in a row\n`);
        return EXIT_CODES.router;
      }
      const approve = await this.decide(confirmation);
      if (approve === undefined) return EXIT_CODES.confirmationUnanswerable;
      request = { confirm: { id: confirmation.id, approve }, ...(user ? { user_id: user } : {}) };
    }
  }

  private async askOnce(request: AskRequest): Promise<AskResponse> {
    this.spinner.start(spinnerLabel(request));
    const response = await this.client.ask(request, this.requestOptions());
    this.spinner.stop();
    if (this.options.json) {
      this.io.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
    } else if (response.finish_reason !== 'confirmation_required' || response.content.trim() !== '') {
      this.io.stdout.write(renderAnswer(response, this.style));
    }
    return response;
  }

  private async streamOnce(request: AskRequest): Promise<AskResponse> {
    const { stdout } = this.io;
    this.spinner.start(spinnerLabel(request));
    let final: AskResponse | undefined;
    let streamedText = false;
    let atLineStart = true;
    const line = (text: string) => {
      if (!atLineStart) stdout.write('\n');
      stdout.write(text);
      atLineStart = text.endsWith('\n');
    };
    for await (const event of this.client.askStream(request, this.requestOptions())) {
      this.spinner.stop();
      if (this.options.json) {
        stdout.write(`${JSON.stringify(event)}\n`);
        if (event.type === 'done') final = event.data;
        continue;
      }
      switch (event.type) {
        case 'delta':
          if (event.data.text === '') break;
          stdout.write(event.data.text);
          streamedText = true;
          atLineStart = event.data.text.endsWith('\n');
          break;
        case 'tool_call':
          line(renderStreamToolCall(event.data, this.style));
          break;
        case 'tool_result':
          line(renderStreamToolResult(event.data, this.style));
          break;
        case 'confirmation':
          // Shown once the stream is done, with the prompt.
          break;
        case 'done':
          final = event.data;
          if (!streamedText && final.content !== '') line(`${final.content}`);
          break;
      }
    }
    if (!atLineStart) stdout.write('\n');
    // askStream either yields `done` or throws, so `final` is set here.
    return final as AskResponse;
  }

  /** true/false from --yes/--no or the TTY; undefined when there is no way to ask. */
  private async decide(confirmation: Confirmation): Promise<boolean | undefined> {
    const { stdin, stdout, stderr } = this.io;
    if (!this.options.json) stdout.write(renderConfirmation(confirmation, this.style));
    if (this.options.answer !== undefined) {
      stderr.write(
        `${this.options.answer ? 'Approved' : 'Rejected'} (${this.options.answer ? '--yes' : '--no'})\n`,
      );
      return this.options.answer;
    }
    if (stdin.isTTY !== true) {
      stderr.write('ocs-ask: confirmation required, but stdin is not a terminal; rerun with --yes or --no\n');
      return undefined;
    }
    stderr.write('Approve? [y/N] ');
    const answer = await readLine(stdin, this.io.signal);
    // Ctrl-C at the prompt means stop, not "no": nothing more is sent to the router.
    if (this.io.signal?.aborted) throw this.io.signal.reason;
    return isApproval(answer);
  }

  private requestOptions() {
    return this.io.signal ? { signal: this.io.signal } : {};
  }
}

function spinnerLabel(request: AskRequest): string {
  return request.confirm ? 'Sending your answer…' : 'Asking the router…';
}
