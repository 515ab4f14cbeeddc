import { assertMayUse, type Principal } from '../admission/principal.js';
import { RouterError } from '../errors.js';
import { isProviderName, type ProviderRegistry } from '../providers/registry.js';
import type { ProviderAdapter } from '../providers/types.js';

/** The provider adapter and model one compatible-API request runs on. */
export interface CompletionTarget {
  adapter: ProviderAdapter;
  model: string;
}

/**
 * Picks the provider and model for a request of any compatible API (Chat Completions, Responses,
 * Messages) from its `provider` extension and `model` ("provider/model" or a plain name), and
 * checks the principal may use them. A refused provider is refused before its adapter exists, so it
 * is never contacted.
 */
export function resolveCompletionTarget(
  providers: ProviderRegistry,
  principal: Principal,
  requested: { provider?: string | undefined; model?: string | undefined },
): CompletionTarget {
  const target = providers.resolveModel(requested.provider, requested.model);
  const providerName = target.provider ?? providers.defaultProvider;
  if (isProviderName(providerName)) assertMayUse(principal, providerName, target.model);
  const adapter = providers.get(target.provider);
  const model = target.model ?? adapter.defaultModel;
  if (!model) throw new RouterError(400, 'model_required', `No model given for provider ${adapter.name}`);
  assertMayUse(principal, adapter.name, model);
  return { adapter, model };
}
