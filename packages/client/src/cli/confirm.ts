import { createInterface } from 'node:readline';

/** The stdin the CLI reads answers and piped questions from. */
export type CliInput = NodeJS.ReadableStream & { isTTY?: boolean };

/** Reads one line; null at end of input or when `signal` aborts (Ctrl-C at the prompt). */
export function readLine(input: CliInput, signal?: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(null);
    const lines = createInterface({ input, terminal: false });
    const onAbort = () => lines.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once('close', () => {
      signal?.removeEventListener('abort', onAbort);
      if (!answered) resolve(null);
    });
  });
}

/** Only an explicit yes approves; Enter, EOF or anything else is a no. */
export function isApproval(answer: string | null): boolean {
  return answer !== null && /^\s*(y|yes)\s*$/i.test(answer);
}

/** Reads all of stdin (for a piped question). */
export async function readAll(input: CliInput): Promise<string> {
  let text = '';
  input.setEncoding('utf8');
  for await (const chunk of input) text += chunk;
  return text;
}
