/** Something the spinner can draw on (a TTY stderr). */
export interface SpinnerOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Spinner {
  start(label: string): void;
  /** Erases the spinner line; safe to call when not spinning. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;
const NO_SPINNER: Spinner = { start() {}, stop() {} };

/** A braille spinner on `output`, only when it is a terminal (a log file would fill with frames). */
export function createSpinner(output: SpinnerOutput): Spinner {
  if (output.isTTY !== true) return NO_SPINNER;
  let timer: ReturnType<typeof setInterval> | undefined;
  let frame = 0;
  return {
    start(label) {
      if (timer !== undefined) return;
      const draw = () => {
        output.write(`\r${FRAMES[frame % FRAMES.length]} ${label}`);
        frame++;
      };
      draw();
      timer = setInterval(draw, FRAME_MS);
      // The spinner alone must never keep the process alive.
      (timer as { unref?: () => void }).unref?.();
    },
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      output.write('\r\u001b[K');
    },
  };
}
