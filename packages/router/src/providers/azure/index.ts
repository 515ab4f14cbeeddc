import { defineProvider, optionalText, optionalUrl, secretVariable } from '../definition.js';
import { ProviderError } from '../model.js';
import { compatibleAdapter } from '../openai-compatible/adapter.js';
import { openAiCompatibleParameters, parameterSupport } from '../parameters.js';
import { joinUrl } from '../upstream-http.js';

/**
 * Azure OpenAI. With AZURE_OPENAI_API_VERSION set, the classic deployment URL
 * (`/openai/deployments/{deployment}/chat/completions?api-version=`); otherwise the v1 API
 * (`/openai/v1/chat/completions`) with the deployment as `model`. A request's model, when given, is
 * read as a deployment name. Azure's `x-ms-retry-after-ms` is read by the shared error mapping.
 */
export const azure = defineProvider({
  name: 'azure',
  env: {
    AZURE_OPENAI_ENDPOINT: optionalUrl.describe(
      'Azure OpenAI resource endpoint, e.g. https://my-resource.openai.azure.com. Required for the azure provider.',
    ),
    AZURE_OPENAI_API_KEY: secretVariable('Azure OpenAI key, sent as the api-key header. Required for azure.'),
    AZURE_OPENAI_DEPLOYMENT: optionalText(
      'Azure deployment name (the name you gave the deployment, not the model name). Required for azure.',
    ),
    AZURE_OPENAI_API_VERSION: optionalText(
      'Set (e.g. 2024-10-21) to use the classic /openai/deployments/{deployment}/chat/completions?api-version= URL; unset uses the v1 API (/openai/v1/chat/completions, deployment as model).',
    ),
  },
  required: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_DEPLOYMENT'],
  parameters: openAiCompatibleParameters({
    n: parameterSupport.passed('every choice is returned; with stream, n > 1 is refused'),
  }),
  defaultModel: (settings) => settings.AZURE_OPENAI_DEPLOYMENT,
  create: (settings, context) => {
    const endpoint = settings.AZURE_OPENAI_ENDPOINT;
    const apiVersion = settings.AZURE_OPENAI_API_VERSION;
    const host = new URL(endpoint).host;
    return compatibleAdapter(context, {
      name: 'azure',
      baseUrl: endpoint,
      chatUrl: (model) =>
        apiVersion
          ? joinUrl(endpoint, `/openai/deployments/${encodeURIComponent(model)}/chat/completions`, {
              'api-version': apiVersion,
            })
          : joinUrl(endpoint, '/openai/v1/chat/completions'),
      // The classic API has no deployment-independent model list.
      modelsUrl: apiVersion ? undefined : joinUrl(endpoint, '/openai/v1/models'),
      headers: { 'api-key': settings.AZURE_OPENAI_API_KEY },
      includeStreamUsage: true,
      maxTokensField: 'max_completion_tokens',
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
    });
  },
});
