import { HTTP_METHODS, type OpenApiDocument, operationsOf, resolvePointer } from './openapi-markdown.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const pointerToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every `$ref` string anywhere in the document, with the JSON pointer of where it sits. */
function refsIn(node: unknown, at: string, found: { at: string; ref: string }[] = []) {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) refsIn(item, `${at}/${index}`, found);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push({ at, ref: value });
      else refsIn(value, `${at}/${pointerToken(key)}`, found);
    }
  }
  return found;
}

/**
 * Structural problems that make a document unusable as OpenAPI 3.x (not a full schema
 * validation): the version field, info, non-empty paths, responses with descriptions, declared
 * path parameters, unique operation ids and every local $ref resolving. [] means none found.
 */
export function openApiProblems(candidate: unknown): string[] {
  if (!isObject(candidate)) return ['the document is not a JSON object'];
  const problems: string[] = [];
  if (typeof candidate.openapi !== 'string' || !/^3\.[0-2]\.\d+$/.test(candidate.openapi))
    problems.push(`openapi must be a 3.x version string, got ${JSON.stringify(candidate.openapi)}`);
  const info = candidate.info;
  if (!isObject(info) || typeof info.title !== 'string' || !info.title || typeof info.version !== 'string')
    problems.push('info needs a title and a version');
  if (!isObject(candidate.paths) || Object.keys(candidate.paths).length === 0) {
    problems.push('paths is missing or empty');
    return problems;
  }
  const document = candidate as unknown as OpenApiDocument;
  for (const path of Object.keys(document.paths))
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);

  const operationIds = new Set<string>();
  for (const { method, path, item, operation } of operationsOf(document)) {
    const where = `${method.toUpperCase()} ${path}`;
    const deref = (node: unknown) =>
      isObject(node) && typeof node.$ref === 'string' ? resolvePointer(document, node.$ref) : node;
    const responses = operation.responses;
    if (!isObject(responses) || Object.keys(responses).length === 0) problems.push(`${where}: no responses`);
    for (const [status, response] of Object.entries(isObject(responses) ? responses : {})) {
      if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: bad status key ${status}`);
      const resolved = deref(response);
      if (!isObject(resolved) || typeof resolved.description !== 'string')
        problems.push(`${where} ${status}: a response needs a description`);
    }
    const parameters = [
      ...((item.parameters as unknown[] | undefined) ?? []),
      ...((operation.parameters as unknown[] | undefined) ?? []),
    ].map(deref);
    for (const name of path.match(/\{[^}]+\}/g) ?? []) {
      const declared = parameters.find(
        (parameter) => isObject(parameter) && parameter.in === 'path' && `{${parameter.name}}` === name,
      ) as JsonObject | undefined;
      if (!declared) problems.push(`${where}: path parameter ${name} is not declared`);
      else if (declared.required !== true) problems.push(`${where}: path parameter ${name} must be required`);
    }
    if (typeof operation.operationId === 'string') {
      if (operationIds.has(operation.operationId))
        problems.push(`${where}: duplicate operationId ${operation.operationId}`);
      operationIds.add(operation.operationId);
    }
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const key of Object.keys(item)) {
      const known = (HTTP_METHODS as readonly string[]).includes(key);
      if (
        !known &&
        !['parameters', 'summary', 'description', 'servers', '$ref'].includes(key) &&
        !key.startsWith('x-')
      )
        problems.push(`${path}: unknown path item field ${key}`);
    }
  }
  for (const { at, ref } of refsIn(candidate, '#')) {
    if (resolvePointer(candidate, ref) === undefined) problems.push(`${at}: $ref ${ref} does not resolve`);
  }
  return problems;
}

/** `METHOD /path` of every operation, path parameters written `{}` so names do not matter. */
export function documentedRoutes(document: OpenApiDocument): string[] {
  return operationsOf(document).map(
    ({ method, path }) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`,
  );
}

/** The same form for a Hono route pattern (`/subscribers/:subscriberId`). */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/:[^/]+/g, '{}')}`;
}
