// Reads what test/support/module-probe.mjs (or a test's own probe) wrote to a spawned service's output:
// the probe answers asynchronously (on SIGUSR2, or when the service starts listening), so the report is
// polled for in the output that arrived after `from`.

/** The first capture group of `pattern` in `output()` past `from`, once it appears (5 s at most). */
export async function probeReport(output: () => string, pattern: RegExp, from = 0): Promise<string> {
  for (let waited = 0; waited < 5_000; waited += 20) {
    const answer = pattern.exec(output().slice(from));
    if (answer?.[1] !== undefined) return answer[1];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the probe did not report ${pattern}:\n${output()}`);
}
