import type { z } from 'zod';

/**
 * A refusal with the HTTP status the real backend uses. `bodiless` marks the cases where the real
 * backend answers with the status line only; strict fidelity copies that, friendly mode does not.
 */
export class OcsHttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 409 | 413 | 422 | 500,
    message: string,
    readonly bodiless = false,
  ) {
    super(message);
    this.name = 'OcsHttpError';
  }
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** "field.path: problem" for each zod issue, so that a client knows what to fix. */
export function describeIssues(error: z.ZodError, input: unknown, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path]
        .filter((p) => p !== '')
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
        .join('')
        .replace(/^\./, '');
      const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
      const message = missing || /received undefined$/.test(issue.message) ? 'is required' : issue.message;
      return path ? `${path}: ${message}` : message;
    })
    .join('; ');
}

/** Validates `input` against `schema`, turning failures into a 400 that names the field. */
export function parseOrReject<T extends z.ZodType>(
  schema: T,
  input: unknown,
  bodiless = false,
  prefix = '',
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new OcsHttpError(400, describeIssues(result.error, input, prefix), bodiless);
  return result.data;
}
