import { RouterError } from '../errors.js';
import { PROVIDER_NAMES, type ProviderAdapter, type ProviderName } from './types.js';

export interface ProviderRegistryOptions {
  defaultProvider: ProviderName;
  /** Builds an adapter; throws naming the missing variable when the provider is not configured. */
  create(name: ProviderName): ProviderAdapter;
  isConfigured(name: ProviderName): boolean;
}

const KNOWN = new Set<string>(PROVIDER_NAMES);

export function isProviderName(name: string): name is ProviderName {
  return KNOWN.has(name);
}

/**
 * Hands out provider adapters. Each adapter is created on first use and then reused, so its
 * keep-alive connection pool serves every later request.
 */
export class ProviderRegistry {
  readonly defaultProvider: ProviderName;
  readonly #adapters = new Map<ProviderName, ProviderAdapter>();
  readonly #options: ProviderRegistryOptions;

  constructor(options: ProviderRegistryOptions) {
    this.#options = options;
    this.defaultProvider = options.defaultProvider;
  }

  /** The adapter for `name` (default provider when absent); 400 for unknown or unconfigured ones. */
  get(name?: string): ProviderAdapter {
    const providerName = name ?? this.defaultProvider;
    const cached = this.#adapters.get(providerName as ProviderName);
    if (cached) return cached;
    if (!isProviderName(providerName)) {
      throw new RouterError(
        400,
        'unknown_provider',
        `Unknown provider "${providerName.slice(0, 64)}"; valid providers: ${PROVIDER_NAMES.join(', ')}`,
      );
    }
    let adapter: ProviderAdapter;
    try {
      adapter = this.#options.create(providerName);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RouterError(
        400,
        'provider_not_configured',
        `Provider ${providerName} is not configured: ${reason}`,
        {
          provider: providerName,
        },
      );
    }
    this.#adapters.set(providerName, adapter);
    return adapter;
  }

  isConfigured(name: ProviderName): boolean {
    return this.#options.isConfigured(name);
  }

  configured(): ProviderName[] {
    return PROVIDER_NAMES.filter((name) => this.#options.isConfigured(name));
  }

  /**
   * Splits "provider/model" when the prefix names a provider ("openrouter/openai/gpt-4o" ->
   * openrouter + "openai/gpt-4o"); any other model string belongs to `explicitProvider` or the
   * default provider.
   */
  resolveModel(
    explicitProvider: string | undefined,
    model: string | undefined,
  ): { provider?: string; model?: string } {
    if (explicitProvider !== undefined || model === undefined) return { provider: explicitProvider, model };
    const slash = model.indexOf('/');
    if (slash > 0) {
      const prefix = model.slice(0, slash);
      if (isProviderName(prefix)) return { provider: prefix, model: model.slice(slash + 1) || undefined };
    }
    return { model };
  }

  async close(): Promise<void> {
    const adapters = [...this.#adapters.values()];
    this.#adapters.clear();
    await Promise.allSettled(adapters.map((adapter) => adapter.close?.()));
  }
}
