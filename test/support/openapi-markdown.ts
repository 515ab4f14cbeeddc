/**
 * Renders an OpenAPI 3.0/3.1 document as a Markdown API reference: one section per path and
 * method (summary, parameters, request body fields, responses, examples), grouped by tag, then the
 * component schemas. Test-support code: test/api-docs.test.ts keeps docs/api/*.md equal to it.
 */

type JsonObject = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string; description?: string }[];
  tags?: { name: string; description?: string }[];
  security?: Record<string, string[]>[];
  paths: Record<string, JsonObject>;
  components?: {
    schemas?: Record<string, JsonObject>;
    securitySchemes?: Record<string, JsonObject>;
    [section: string]: unknown;
  };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

export interface RenderOptions {
  /** Where the document is served, e.g. "GET /openapi.json"; named in the header comment. */
  source: string;
  /** How to regenerate the file; named in the header comment. */
  regenerate: string;
}

export interface Operation {
  method: string;
  path: string;
  item: JsonObject;
  operation: JsonObject;
}

/** Every operation in document order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => ({
      method,
      path,
      item,
      operation: item[method] as JsonObject,
    })),
  );
}

/** Follows a local `#/...` reference; undefined when it does not resolve. */
export function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as JsonObject)[key];
  }
  return node;
}

class Renderer {
  readonly shownResponses = new Set<string>();
  constructor(readonly document: OpenApiDocument) {}

  deref(node: JsonObject | undefined): JsonObject {
    let current = node ?? {};
    for (let depth = 0; typeof current.$ref === 'string' && depth < 20; depth++)
      current = (resolvePointer(this.document, current.$ref) as JsonObject | undefined) ?? {};
    return current;
  }

  /** A schema as a short Markdown type: `string`, `array of X`, a link to a component, unions. */
  type(schema: JsonObject | undefined, nested = false): string {
    if (!schema) return '`any`';
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.split('/').pop() ?? schema.$ref;
      return schema.$ref.startsWith('#/components/schemas/')
        ? `[\`${name}\`](#${anchor(name)})`
        : `\`${name}\``;
    }
    const allOf = schema.allOf as JsonObject[] | undefined;
    if (allOf?.length === 1) return this.type(allOf[0], nested);
    const union = (schema.anyOf ?? schema.oneOf) as JsonObject[] | undefined;
    let label: string;
    if (union) {
      // OpenAPI 3.0 writes null as a bare {nullable: true} option.
      const option = (entry: JsonObject) =>
        entry.nullable === true && Object.keys(entry).length === 1 ? '`null`' : this.type(entry);
      label = [...new Set(union.map(option))].join(' | ');
    } else if (schema.const !== undefined) {
      label = code(JSON.stringify(schema.const));
    } else if (Array.isArray(schema.enum)) {
      label = schema.enum.map((value) => code(JSON.stringify(value))).join(' | ');
    } else if (Array.isArray(schema.type)) {
      label = schema.type.map((type) => code(String(type))).join(' | ');
    } else if (schema.type === 'array') {
      label = `array of ${this.type(schema.items as JsonObject | undefined, true)}`;
    } else if (schema.type === 'object' || schema.properties) {
      const values = schema.additionalProperties;
      label =
        !schema.properties && values && typeof values === 'object' && Object.keys(values).length
          ? `map of ${this.type(values as JsonObject, true)}`
          : code('object');
    } else if (typeof schema.type === 'string') {
      label = code(schema.format ? `${schema.type} (${schema.format})` : schema.type);
    } else {
      label = code('any');
    }
    if (schema.nullable === true && !label.includes('`null`') && label !== '`any`') {
      // "array of `string` | `null`" would read as an array of nullable strings.
      const base = label.includes(' of ') ? `(${label})` : label;
      label = `${base} | \`null\``;
    }
    return nested && label.includes(' | ') ? `(${label})` : label;
  }

  /** Limits worth telling a caller: lengths, ranges, item counts, pattern, default. */
  constraints(schema: JsonObject): string[] {
    const limits: string[] = [];
    const range = (low: unknown, high: unknown, unit: string) => {
      if (low !== undefined && high !== undefined) limits.push(`${unit}${low}–${high}`);
      else if (low !== undefined) limits.push(`${unit}≥ ${low}`);
      else if (high !== undefined) limits.push(`${unit}≤ ${high}`);
    };
    range(schema.minLength, schema.maxLength, 'length ');
    range(schema.minimum, schema.maximum, '');
    range(schema.minItems, schema.maxItems, 'items ');
    if (typeof schema.pattern === 'string') limits.push(`pattern ${code(schema.pattern)}`);
    if (schema.default !== undefined) limits.push(`default ${code(JSON.stringify(schema.default))}`);
    return limits;
  }

  /** A description followed by the schema's limits in parentheses. */
  describe(description: unknown, schema: JsonObject): string {
    const limits = this.constraints(schema);
    const words = typeof description === 'string' ? text(description) : '';
    if (limits.length === 0) return words;
    return `${words}${words ? ' ' : ''}(${limits.join(', ')})`;
  }

  /** An inline object shape (maybe nullable, maybe inside `anyOf` with null) whose fields can be listed. */
  inlineObject(schema: JsonObject): JsonObject | undefined {
    if (schema.$ref) return undefined;
    if (schema.properties && Object.keys(schema.properties as JsonObject).length) return schema;
    const options = ((schema.anyOf ?? schema.oneOf) as JsonObject[] | undefined)?.filter(
      (option) => option.type !== 'null' && !(option.nullable === true && Object.keys(option).length === 1),
    );
    return options?.length === 1 && options[0] ? this.inlineObject(options[0]) : undefined;
  }

  /** Rows for the fields of an object, nested inline objects flattened as `parent.child` / `list[].child`. */
  fieldRows(schema: JsonObject, prefix: string, depth: number): string[][] {
    const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    return Object.entries(properties).flatMap(([name, property]) => {
      const target = this.deref(property);
      const row = [
        code(`${prefix}${name}`),
        this.type(property),
        required.has(name) ? 'yes' : 'no',
        this.describe(property.description ?? target.description, target),
      ];
      if (depth >= 3) return [row];
      const nested = this.inlineObject(property);
      if (nested) return [row, ...this.fieldRows(nested, `${prefix}${name}.`, depth + 1)];
      const items =
        property.type === 'array' ? this.inlineObject((property.items ?? {}) as JsonObject) : undefined;
      if (items) return [row, ...this.fieldRows(items, `${prefix}${name}[].`, depth + 1)];
      return [row];
    });
  }

  /** The fields of an object schema (or of an array's items) as a table; [] when it has none. */
  fields(schemaIn: JsonObject | undefined): string[] {
    let schema = this.deref(schemaIn);
    if (schema.type === 'array') schema = this.deref(schema.items as JsonObject | undefined);
    const object = this.inlineObject(schema);
    if (!object) return [];
    return table(['Field', 'Type', 'Required', 'Description'], this.fieldRows(object, '', 0));
  }

  parameters(item: JsonObject, operation: JsonObject): string[] {
    const byKey = new Map<string, JsonObject>();
    for (const parameter of [
      ...((item.parameters as JsonObject[] | undefined) ?? []),
      ...((operation.parameters as JsonObject[] | undefined) ?? []),
    ]) {
      const resolved = this.deref(parameter);
      byKey.set(`${resolved.in} ${resolved.name}`, resolved);
    }
    if (byKey.size === 0) return [];
    const rows = [...byKey.values()].map((parameter) => {
      const schema = this.deref(parameter.schema as JsonObject | undefined);
      const description = this.describe(parameter.description ?? schema.description, schema);
      return [
        code(String(parameter.name)),
        String(parameter.in),
        this.type(parameter.schema as JsonObject | undefined),
        parameter.required ? 'yes' : 'no',
        description,
      ];
    });
    return ['**Parameters**', '', ...table(['Name', 'In', 'Type', 'Required', 'Description'], rows), ''];
  }

  requestBody(operation: JsonObject): string[] {
    if (!operation.requestBody) return [];
    const body = this.deref(operation.requestBody as JsonObject);
    const content = (body.content ?? {}) as Record<string, JsonObject>;
    const lines: string[] = [];
    for (const [mediaType, media] of Object.entries(content)) {
      const schema = media.schema as JsonObject | undefined;
      const required = body.required ? 'required' : 'optional';
      lines.push(`**Request body** (${code(mediaType)}, ${required}): ${this.type(schema)}`, '');
      if (typeof body.description === 'string') lines.push(text(body.description), '');
      const fields = this.fields(schema);
      if (fields.length) lines.push(...fields, '');
      lines.push(...this.examples('Example request', media));
    }
    return lines;
  }

  responses(operation: JsonObject): string[] {
    const declared = Object.entries((operation.responses ?? {}) as Record<string, JsonObject>);
    const responses = declared.map(([status, response]) => [status, this.deref(response)] as const);
    // A shared response (components/responses) shows its example where it is first used, not on every operation.
    const repeated = new Set(
      declared
        .filter(([, response]) => typeof response.$ref === 'string' && this.shownResponses.has(response.$ref))
        .map(([status]) => status),
    );
    for (const [, response] of declared)
      if (typeof response.$ref === 'string') this.shownResponses.add(response.$ref);
    const rows = responses.map(([status, response]) => {
      const content = Object.entries((response.content ?? {}) as Record<string, JsonObject>)
        .map(
          ([mediaType, media]) => `${code(mediaType)}: ${this.type(media.schema as JsonObject | undefined)}`,
        )
        .join('<br>');
      return [code(status), text(String(response.description ?? '')), content || '(no body)'];
    });
    const lines = ['**Responses**', '', ...table(['Status', 'Description', 'Body'], rows), ''];
    for (const [status, response] of responses) {
      for (const [mediaType, media] of Object.entries(
        (response.content ?? {}) as Record<string, JsonObject>,
      )) {
        // Inline body shapes (the emulator's) have no component section to point at: list their fields here.
        const schema = media.schema as JsonObject | undefined;
        if (
          status.startsWith('2') &&
          schema &&
          !schema.$ref &&
          !(schema.items as JsonObject | undefined)?.$ref
        ) {
          const fields = this.fields(schema);
          if (fields.length)
            lines.push(`**Response fields** (${code(status)}, ${code(mediaType)})`, '', ...fields, '');
        }
        lines.push(...this.events(media));
        if (!repeated.has(status))
          lines.push(...this.examples(`Example response (${code(status)}, ${code(mediaType)})`, media));
      }
    }
    return lines;
  }

  /** Server-sent event types, described by the `x-sse-events` extension. */
  events(media: JsonObject): string[] {
    const events = media['x-sse-events'] as Record<string, JsonObject> | undefined;
    if (!events) return [];
    const rows = Object.entries(events).map(([name, event]) => [
      code(name),
      this.type(event.schema as JsonObject | undefined),
      text(String(event.description ?? '')),
    ]);
    return ['**Stream events**', '', ...table(['Event', 'Data', 'Description'], rows), ''];
  }

  examples(title: string, media: JsonObject): string[] {
    const values: unknown[] = [];
    if (media.example !== undefined) values.push(media.example);
    for (const example of Object.values((media.examples ?? {}) as Record<string, JsonObject>)) {
      const value = this.deref(example).value;
      if (value !== undefined) values.push(value);
    }
    return values.flatMap((value) => [`${title}:`, '', ...fence(value), '']);
  }

  operation({ method, path, item, operation }: Operation): string[] {
    const lines = [`### ${code(`${method.toUpperCase()} ${path}`)}`, ''];
    if (operation.summary) lines.push(text(String(operation.summary)), '');
    if (operation.description) lines.push(text(String(operation.description)), '');
    if (
      Array.isArray(operation.security) &&
      operation.security.length === 0 &&
      this.document.security?.length
    )
      lines.push('No API key needed.', '');
    lines.push(
      ...this.parameters(item, operation),
      ...this.requestBody(operation),
      ...this.responses(operation),
    );
    return lines;
  }

  schemas(): string[] {
    const schemas = Object.entries(this.document.components?.schemas ?? {});
    if (schemas.length === 0) return [];
    const lines = ['## Schemas', ''];
    for (const [name, schema] of schemas) {
      lines.push(`### ${code(name)}`, '');
      if (schema.description) lines.push(text(String(schema.description)), '');
      const fields = this.fields(schema);
      lines.push(
        ...(fields.length ? fields : [`Type: ${this.type({ ...schema, description: undefined })}`]),
        '',
      );
    }
    return lines;
  }

  overview(): string[] {
    const { info, servers } = this.document;
    const lines = [`- API version: ${code(info.version)}`, `- OpenAPI: ${code(this.document.openapi)}`];
    for (const server of servers ?? [])
      lines.push(
        `- Server: ${code(server.url)}${server.description ? ` (${text(server.description)})` : ''}`,
      );
    for (const [name, scheme] of Object.entries(this.document.components?.securitySchemes ?? {})) {
      const how =
        scheme.type === 'apiKey'
          ? `API key in ${scheme.in} ${code(String(scheme.name))}`
          : scheme.type === 'http'
            ? `HTTP ${scheme.scheme} authentication`
            : String(scheme.type);
      lines.push(
        `- Security scheme ${code(name)}: ${how}${scheme.description ? ` (${text(String(scheme.description))})` : ''}`,
      );
    }
    return lines;
  }
}

/** The whole reference page. */
export function renderOpenApiMarkdown(document: OpenApiDocument, options: RenderOptions): string {
  const renderer = new Renderer(document);
  const operations = operationsOf(document);
  const lines = [
    `# ${text(document.info.title)}`,
    '',
    `<!-- Generated from ${options.source} by test/api-docs.test.ts. Do not edit by hand; regenerate with: ${options.regenerate} -->`,
    '',
  ];
  if (document.info.description) lines.push(text(document.info.description), '');
  lines.push(...renderer.overview(), '', '## Endpoints', '');
  lines.push(
    ...table(
      ['Method', 'Path', 'Summary'],
      operations.map(({ method, path, operation }) => [
        code(method.toUpperCase()),
        code(path),
        text(String(operation.summary ?? '')),
      ]),
    ),
    '',
  );
  // Tag order: the document's tags list first, then tags in order of first use.
  const tagOf = (operation: JsonObject) => ((operation.tags as string[] | undefined) ?? [])[0] ?? 'other';
  const tagNames = [
    ...new Set([
      ...(document.tags ?? []).map((tag) => tag.name),
      ...operations.map((op) => tagOf(op.operation)),
    ]),
  ];
  for (const tag of tagNames) {
    const tagged = operations.filter((op) => tagOf(op.operation) === tag);
    if (tagged.length === 0) continue;
    lines.push(`## ${text(tag)}`, '');
    const description = document.tags?.find((entry) => entry.name === tag)?.description;
    if (description) lines.push(text(description), '');
    for (const op of tagged) lines.push(...renderer.operation(op));
  }
  lines.push(...renderer.schemas());
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

/** GitHub's heading anchor for a plain identifier heading. */
function anchor(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/** An inline code span that survives any backticks inside. */
function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${value}${pad}${ticks}`;
}

/** Prose from the document: one line, with characters Markdown would read as HTML escaped. */
function text(value: string): string {
  return value.replace(/\s*\n\s*/g, ' ').replace(/</g, '&lt;');
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    // GFM splits cells at every unescaped pipe, code spans included.
    ...rows.map((row) => `| ${row.map((value) => value.replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
}

function fence(value: unknown): string[] {
  const body = typeof value === 'string' ? value.replace(/\n+$/, '') : JSON.stringify(value, null, 2);
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return [`${ticks}${typeof value === 'string' ? 'text' : 'json'}`, body, ticks];
}
