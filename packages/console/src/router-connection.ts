/**
 * How the console reaches the router: same origin, at the path the console is served under minus
 * `/console`, so a reverse proxy that mounts the router under a prefix keeps working.
 */
import { NetworkError, type Principal, RouterClient, RouterError, TimeoutError } from '@ocsai/client';

export function routerBaseUrl(location: { origin: string; pathname: string }): string {
  const prefix = location.pathname.replace(/\/console(?:\/.*)?$/, '').replace(/\/+$/, '');
  return `${location.origin}${prefix}`;
}

export function createClient(baseUrl: string, apiKey: string): RouterClient {
  return new RouterClient({ baseUrl, ...(apiKey ? { apiKey } : {}) });
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof RouterError && (error.status === 401 || error.kind === 'unauthorized');
}

/** A short message to show the agent; the router's messages are written to be safe to show. */
export function describeError(error: unknown): string {
  if (error instanceof RouterError) {
    const issues = error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    const id = error.requestId ? ` (request ${error.requestId})` : '';
    return `${error.message}${issues ? ` – ${issues}` : ''}${id}`;
  }
  if (error instanceof TimeoutError || error instanceof NetworkError) return error.message;
  if (error instanceof DOMException && error.name === 'AbortError') return 'Stopped.';
  return error instanceof Error ? error.message : String(error);
}

/** One provider and the models the router lists for it. */
export interface ProviderModels {
  provider: string;
  models: string[];
}

/** Groups `provider/model` ids (the model part may itself contain slashes, as on OpenRouter). */
export function groupModels(ids: readonly string[]): ProviderModels[] {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const slash = id.indexOf('/');
    if (slash <= 0 || slash === id.length - 1) continue;
    const provider = id.slice(0, slash);
    const model = id.slice(slash + 1);
    const models = groups.get(provider) ?? [];
    if (!models.includes(model)) models.push(model);
    groups.set(provider, models);
  }
  return [...groups].map(([provider, models]) => ({ provider, models }));
}

/**
 * `GET /v1/models`. The client package has no call for it (it is the OpenAI-compatible surface),
 * so it is fetched here with the same credentials and error type.
 */
export async function fetchModelIds(
  baseUrl: string,
  apiKey: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string[]> {
  const body = await getJson(`${baseUrl}/v1/models`, apiKey, fetchImpl);
  const data = isObject(body) && Array.isArray(body['data']) ? body['data'] : [];
  return data.flatMap((entry) => (isObject(entry) && typeof entry['id'] === 'string' ? [entry['id']] : []));
}

/** Who the router says the console's key is (`GET /whoami`): shown so the agent knows whose rights apply. */
export type PrincipalInfo = Pick<Principal, 'id' | 'name' | 'roles'>;

export async function fetchPrincipal(
  baseUrl: string,
  apiKey: string,
  fetchImpl: typeof fetch = fetch,
): Promise<PrincipalInfo> {
  const body = await getJson(`${baseUrl}/whoami`, apiKey, fetchImpl);
  const principal = isObject(body) ? body : {};
  const roles = Array.isArray(principal['roles']) ? principal['roles'] : [];
  const id = typeof principal['id'] === 'string' ? principal['id'] : '';
  return {
    id,
    name: typeof principal['name'] === 'string' ? principal['name'] : id,
    roles: roles.filter((role): role is string => typeof role === 'string'),
  };
}

/** A GET with the console's key; a non-2xx answer becomes the client's RouterError. */
async function getJson(url: string, apiKey: string, fetchImpl: typeof fetch): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`;
  const response = await fetchImpl(url, { headers });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = isObject(body) && isObject(body['error']) ? body['error'] : {};
    throw new RouterError({
      status: response.status,
      type: typeof error['type'] === 'string' ? error['type'] : 'http_error',
      message: typeof error['message'] === 'string' ? error['message'] : `Router answered ${response.status}`,
    });
  }
  return body;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
