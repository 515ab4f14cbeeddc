import { type ProvidersConfig, providerSecrets, timeoutsFrom } from './config.js';
import { OpenAICompatibleAdapter } from './openai-compatible/adapter.js';
import { ProviderError } from './types.js';
import { joinUrl } from './upstream-http.js';

/**
 * Azure OpenAI. With AZURE_OPENAI_API_VERSION set, the classic deployment URL
 * (`/openai/deployments/{deployment}/chat/completions?api-version=`); otherwise the v1 API
 * (`/openai/v1/chat/completions`) with the deployment as `model`. A request's model, when given, is
 * read as a deployment name. Azure's `x-ms-retry-after-ms` is read by the shared error mapping.
 */
export function createAzureAdapter(config: ProvidersConfig): OpenAICompatibleAdapter {
  const endpoint = config.AZURE_OPENAI_ENDPOINT;
  const apiKey = config.AZURE_OPENAI_API_KEY;
  const deployment = config.AZURE_OPENAI_DEPLOYMENT;
  if (!endpoint) throw new Error('Provider azure needs AZURE_OPENAI_ENDPOINT');
  if (!apiKey) throw new Error('Provider azure needs AZURE_OPENAI_API_KEY');
  if (!deployment) throw new Error('Provider azure needs AZURE_OPENAI_DEPLOYMENT (the deployment name)');
  const apiVersion = config.AZURE_OPENAI_API_VERSION;
  const host = new URL(endpoint).host;
  return new OpenAICompatibleAdapter(
    {
      name: 'azure',
      baseUrl: endpoint,
      defaultModel: deployment,
      chatUrl: (model) =>
        apiVersion
          ? joinUrl(endpoint, `/openai/deployments/${encodeURIComponent(model)}/chat/completions`, {
              'api-version': apiVersion,
            })
          : joinUrl(endpoint, '/openai/v1/chat/completions'),
      ...(apiVersion ? {} : { modelsUrl: joinUrl(endpoint, '/openai/v1/models') }),
      headers: { 'api-key': apiKey },
      includeStreamUsage: true,
      maxTokensField: 'max_completion_tokens',
      secrets: providerSecrets(config),
      refineError: (error, model) =>
        error.options.type === 'DeploymentNotFound'
          ? new ProviderError(
              'azure',
              'bad_request',
              `azure: deployment "${model}" not found on ${host}. Azure needs the deployment name you created ` +
                '(AZURE_OPENAI_DEPLOYMENT), not the model name. Upstream said: ' +
                error.message.replace(/^azure \d+: /, ''),
              { ...error.options, retryable: false, cause: error },
            )
          : error,
    },
    timeoutsFrom(config),
  );
}
