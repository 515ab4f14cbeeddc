/**
 * Generated from the router's OpenAPI document (GET /openapi.json) by openapi-typescript.
 * Do not edit: run `npm run generate:types -w packages/client`.
 */
export interface paths {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: the context store answers and the default provider is configured */
    get: operations['getReady'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Prometheus metrics
     * @description router_http_requests_total and router_http_request_duration_seconds (by route, method, status), router_upstream_latency_seconds (by provider), router_overhead_seconds (by route) and the Node default metrics.
     */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/console': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Operator console (redirects to /console/) */
    get: operations['getConsole'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/console/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Operator console page and its static assets
     * @description The built web console (index.html for /console/). Public: the page asks for an API key before it calls the API. Hashed assets are cached as immutable.
     */
    get: operations['getConsoleFile'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This OpenAPI document */
    get: operations['getOpenApiDocument'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/whoami': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The principal the presented credential maps to
     * @description Roles, user id patterns, providers and models come from the credential (ROUTER_KEYS_FILE, ROUTER_API_KEYS as principal `default`, an OIDC token, or the keyless loopback principal `local`); never keys or hashes.
     */
    get: operations['whoami'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/schema/context.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * JSON Schema of the context envelope
     * @description Also committed as schema/context.schema.json.
     */
    get: operations['getContextSchema'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ask': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Ask the model, plain or streamed
     * @description Picks the provider, builds the prompt from the stored and request context, runs the model (with MCP tools when configured) and remembers the exchange when user_id is given. With stream: true the answer is text/event-stream; a failure before the first event is still a normal JSON error with its status, a failure after it an error event.
     */
    post: operations['ask'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/context/{user_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read the stored context envelope */
    get: operations['getContext'];
    /** Replace the stored context envelope */
    put: operations['putContext'];
    /** Replace the stored context envelope (same as PUT) */
    post: operations['replaceContext'];
    /** Delete the stored context envelope */
    delete: operations['deleteContext'];
    options?: never;
    head?: never;
    /**
     * Merge into the stored context envelope
     * @description Same rules as /ask: the request wins field by field within identity, tools and memory; memory.facts are unioned by value; docs are unioned by id. Creates the envelope when absent; cannot remove facts or docs (use PUT).
     */
    patch: operations['mergeContext'];
    trace?: never;
  };
  '/v1/chat/completions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * OpenAI-compatible chat completions, plain and streaming
     * @description Point an OpenAI SDK at /v1. Tools, tool_choice and tool results pass through in OpenAI format whatever the provider. Context envelopes and memory are /ask features and are not applied here. Errors use the OpenAI error body.
     */
    post: operations['createChatCompletion'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Default model of each configured provider, OpenAI style */
    get: operations['listModels'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/confirmations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A human's yes or no to a held tool call
     * @description Answers a confirmation held by /ask or by a compatible API with the router's MCP tools on (the `confirmation` field of its answer). approve: true runs the held call, false tells the model the human declined; the model then goes on, and its answer comes back in the /ask answer shape. Each confirmation can be answered once, on any router instance sharing the store (SQLite or Redis), and only by the principal that asked (under ROUTER_APPROVAL=other-approver, a different principal with the approver role approves).
     */
    post: operations['answerConfirmation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Anthropic Messages API over any provider, plain and streaming
     * @description Point an Anthropic SDK or Claude Code at the router (ANTHROPIC_BASE_URL, the router key as ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN). On the anthropic provider the request is forwarded unchanged (cache_control, thinking, betas included); on the others it is mapped, and a field that cannot be honoured is a 400 naming it. Errors use Anthropic's error body.
     */
    post: operations['createMessage'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/messages/count_tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Anthropic's token count, on the anthropic provider
     * @description Forwarded to Anthropic's count_tokens on the anthropic provider. The other providers have no counting endpoint, so the answer is a 400 naming the provider rather than a guess.
     */
    post: operations['countMessageTokens'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/responses': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * OpenAI Responses API, plain and streaming, over any provider
     * @description Point an OpenAI SDK at /v1 and call responses.create. Input items (messages, function_call, function_call_output), instructions, function tools, tool_choice, text.format and the generation controls map onto any provider; what the router cannot do (built-in tools, background, conversation, include...) is refused with 400 naming the field. Responses are stored for previous_response_id unless store is false, per API key, for 30 days. Errors use the OpenAI error body.
     */
    post: operations['createResponse'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/responses/{response_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A stored response of this API key */
    get: operations['getResponse'];
    put?: never;
    post?: never;
    /** Delete a stored response of this API key */
    delete: operations['deleteResponse'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    AskRequest: {
      /** @description A single user message; give exactly one of message or messages. */
      message?: string;
      /** @description A whole conversation (system, user and assistant turns); must contain a user turn. */
      messages?: components['schemas']['AskMessage'][];
      /** @description Provider to use: openai, anthropic, azure, openrouter, ollama, lmstudio. Default: LLM_PROVIDER. */
      provider?: string;
      /** @description Model to use; "provider/model" also selects the provider. Default: the provider's model. */
      model?: string;
      /** @description Stable user id: 1-128 characters from A-Z a-z 0-9 . _ @ : -, not only dots */
      user_id?: string;
      /** @description Context for this request, merged over the stored one field by field; not stored itself. */
      context?: components['schemas']['ContextEnvelope'];
      /** @description true answers with text/event-stream events instead of one JSON body. */
      stream?: boolean;
      /** @description Sampling temperature, 0 to 2. */
      temperature?: number;
      /** @description Upper bound on generated tokens. */
      max_tokens?: number;
      /** @description Ask for a typed answer, as in Chat Completions: json_object or json_schema ({name, schema, strict}). The answer then carries the checked JSON in `parsed`; an answer that does not parse or match is a 502. */
      response_format?:
        | {
            /** @constant */
            type: 'text';
          }
        | {
            /** @constant */
            type: 'json_object';
          }
        | {
            /** @constant */
            type: 'json_schema';
            json_schema: {
              /** @description Name of the answer format. */
              name: string;
              description?: string;
              /** @description JSON Schema the answer must match. */
              schema: {
                [key: string]: unknown;
              };
              /** @description Ask the provider to enforce the schema exactly. */
              strict?: boolean | null;
            };
          };
      /** @description Answer to a pending tool confirmation: {id, approve}. */
      confirm?: {
        /** @description confirmation.id from the answer that asked */
        id: string;
        /** @description true runs the held tool call, false tells the model the human declined */
        approve: boolean;
      };
    };
    AskMessage: {
      /** @enum {string} */
      role: 'system' | 'user' | 'assistant';
      content: string;
    };
    /** @description OCS AI router context envelope */
    ContextEnvelope: {
      identity?: {
        /** @description Stable user id: 1-128 characters from A-Z a-z 0-9 . _ @ : -, not only dots */
        user_id?: string;
        /** @description How to address the user. */
        name?: string;
        /** @description The user's role, e.g. 'care agent'. */
        role?: string;
        /** @description BCP 47 language tag, e.g. en-GB. */
        locale?: string;
        /** @description Organisation or tenant the user acts for. */
        tenant?: string;
      };
      memory?: {
        /** @description Running summary of earlier conversations. */
        summary?: string;
        /** @description Durable facts about the user. */
        facts?: string[];
        /** @description Prior turns, oldest first. */
        messages?: {
          /** @enum {string} */
          role: 'user' | 'assistant';
          content: string;
          /**
           * @description Set by the router on answers written after tool results: replayed inside an <untrusted-tool-result> fence, as data.
           * @enum {string}
           */
          provenance?: 'tool_derived';
        }[];
      };
      tools?: {
        /** @description MCP servers the model may use. */
        servers?: string[];
        /** @description Tool names the model may call. */
        allow?: string[];
        /** @description Tool names the model must not call. */
        deny?: string[];
      };
      /** @description Reference documents (data, not instructions). */
      docs?: {
        id: string;
        title: string;
        content: string;
        uri?: string;
      }[];
    };
    ChatCompletionsRequest: {
      /** @description "provider/model" picks the provider; a plain name goes to the default provider. */
      model: string;
      /** @description OpenAI messages, tool turns included; text content parts are joined. */
      messages: (
        | {
            /** @constant */
            role: 'system';
            content:
              | string
              | {
                  /** @constant */
                  type: 'text';
                  text: string;
                }[];
          }
        | {
            /** @constant */
            role: 'developer';
            content:
              | string
              | {
                  /** @constant */
                  type: 'text';
                  text: string;
                }[];
          }
        | {
            /** @constant */
            role: 'user';
            content:
              | string
              | {
                  /** @constant */
                  type: 'text';
                  text: string;
                }[];
          }
        | {
            /** @constant */
            role: 'assistant';
            content?:
              | (
                  | string
                  | {
                      /** @constant */
                      type: 'text';
                      text: string;
                    }[]
                )
              | null;
            tool_calls?: {
              id: string;
              /** @constant */
              type?: 'function';
              function: {
                name: string;
                arguments: string;
              };
            }[];
            refusal?: null;
            annotations?: unknown[] | null;
            audio?: null;
            function_call?: null;
          }
        | {
            /** @constant */
            role: 'tool';
            content:
              | string
              | {
                  /** @constant */
                  type: 'text';
                  text: string;
                }[];
            tool_call_id: string;
          }
      )[];
      /** @description Router extension: pick the provider without a "provider/" model prefix. */
      provider?: string;
      /** @description OpenAI function tools, passed to any provider. */
      tools?: {
        /** @constant */
        type: 'function';
        function: {
          name: string;
          description?: string;
          parameters?: {
            [key: string]: unknown;
          };
          strict?: boolean | null;
        };
      }[];
      /** @description auto, none, required, a named function, or allowed_tools (the router narrows tools to the allowed ones). */
      tool_choice?:
        | ('auto' | 'none' | 'required')
        | {
            /** @constant */
            type: 'function';
            function: {
              name: string;
            };
          }
        | {
            /** @constant */
            type: 'allowed_tools';
            allowed_tools: {
              /** @enum {string} */
              mode: 'auto' | 'required';
              tools: {
                /** @constant */
                type: 'function';
                function: {
                  name: string;
                };
              }[];
            };
          };
      /** @description false: at most one tool call per answer. */
      parallel_tool_calls?: boolean | null;
      /** @description text, json_object or json_schema (strict included), on every provider; the router checks the answer against the schema (502 when it does not match). */
      response_format?:
        | (
            | {
                /** @constant */
                type: 'text';
              }
            | {
                /** @constant */
                type: 'json_object';
              }
            | {
                /** @constant */
                type: 'json_schema';
                json_schema: {
                  /** @description Name of the answer format. */
                  name: string;
                  description?: string;
                  /** @description JSON Schema the answer must match. */
                  schema: {
                    [key: string]: unknown;
                  };
                  /** @description Ask the provider to enforce the schema exactly. */
                  strict?: boolean | null;
                };
              }
          )
        | null;
      /** @description Sampling temperature, 0 to 2. */
      temperature?: number | null;
      /** @description Nucleus sampling, 0 to 1. */
      top_p?: number | null;
      /** @description Upper bound on generated tokens. */
      max_tokens?: number | null;
      /** @description Same as max_tokens (newer OpenAI name); wins when both are given. */
      max_completion_tokens?: number | null;
      /** @description Up to 4 stop sequences. */
      stop?: (string | string[]) | null;
      /** @description Best-effort deterministic sampling. */
      seed?: number | null;
      /** @description -2 to 2. */
      presence_penalty?: number | null;
      /** @description -2 to 2. */
      frequency_penalty?: number | null;
      /** @description Token id to bias, -100 to 100. */
      logit_bias?: {
        [key: string]: number;
      } | null;
      /** @description Return log probabilities in choices[].logprobs. */
      logprobs?: boolean | null;
      /** @description Needs logprobs: true. */
      top_logprobs?: number | null;
      /** @description Number of choices: openai and azure return them all (not with stream); elsewhere n > 1 is a 400. */
      n?: number | null;
      /** @description End-user id, for the provider's abuse monitoring. */
      user?: string | null;
      /** @description Reasoning effort of reasoning models (Ollama: think). */
      reasoning_effort?: ('none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh') | null;
      /** @description Up to 16 string pairs stored with the request by the provider. */
      metadata?: {
        [key: string]: string;
      } | null;
      /** @description Processing tier (Anthropic: auto or standard_only). */
      service_tier?: ('auto' | 'default' | 'flex' | 'scale' | 'priority') | null;
      /** @description true answers with chat.completion.chunk events, then data: [DONE]. */
      stream?: boolean | null;
      /** @description include_usage adds a usage chunk when the provider reported usage. */
      stream_options?: {
        include_usage?: boolean;
      } | null;
    } & {
      [key: string]: unknown;
    };
    /** @description A human's answer to a held tool call. */
    ConfirmationAnswer: {
      /** @description true runs the held tool call, false tells the model the human declined */
      approve: boolean;
    };
    /** @description OpenAI Responses API request. */
    ResponsesRequest: {
      /** @description "provider/model" picks the provider; a plain name goes to the default provider; absent: the default provider's default model. */
      model?: string;
      /** @description Router extension: pick the provider without a "provider/" model prefix. */
      provider?: string;
      /** @description A user message, or items: messages (text parts), function_call and function_call_output. */
      input?:
        | string
        | (
            | {
                /** @constant */
                type?: 'message';
                /** @enum {string} */
                role: 'user' | 'assistant' | 'system' | 'developer';
                content:
                  | string
                  | (
                      | {
                          /** @constant */
                          type: 'input_text';
                          text: string;
                        }
                      | {
                          /** @constant */
                          type: 'output_text';
                          text: string;
                          annotations?: unknown[];
                          logprobs?: unknown[];
                        }
                      | {
                          /** @constant */
                          type: 'refusal';
                          refusal: string;
                        }
                    )[];
                id?: string;
                /** @enum {string} */
                status?: 'in_progress' | 'completed' | 'incomplete';
              }
            | {
                /** @constant */
                type: 'function_call';
                call_id: string;
                name: string;
                /** @description JSON object as a string. */
                arguments: string;
                id?: string;
                /** @enum {string} */
                status?: 'in_progress' | 'completed' | 'incomplete';
              }
            | {
                /** @constant */
                type: 'function_call_output';
                call_id: string;
                output:
                  | string
                  | {
                      /** @constant */
                      type: 'input_text';
                      text: string;
                    }[];
                id?: string | null;
                status?: ('in_progress' | 'completed' | 'incomplete') | null;
              }
            | {
                /** @constant */
                type: 'item_reference';
                /** @description An output item of a stored response of this principal (msg_... or fc_...). */
                id: string;
              }
          )[];
      /** @description A system message put first; not carried by previous_response_id. */
      instructions?: string | null;
      /** @description Function tools, offered to any provider. */
      tools?: {
        /** @constant */
        type: 'function';
        name: string;
        description?: string | null;
        parameters?: {
          [key: string]: unknown;
        } | null;
        strict?: boolean | null;
      }[];
      /** @description auto, none, required, or {type:"function", name}. */
      tool_choice?:
        | ('auto' | 'none' | 'required')
        | {
            /** @constant */
            type: 'function';
            name: string;
          };
      /** @description Whether the model may call several tools at once. */
      parallel_tool_calls?: boolean | null;
      /** @description Sampling temperature, 0 to 2. */
      temperature?: number | null;
      /** @description Nucleus sampling, 0 to 1. */
      top_p?: number | null;
      /** @description Upper bound on generated tokens. */
      max_output_tokens?: number | null;
      /** @description text.format: text, json_object or json_schema (structured output). */
      text?: {
        format?:
          | {
              /** @constant */
              type: 'text';
            }
          | {
              /** @constant */
              type: 'json_object';
            }
          | {
              /** @constant */
              type: 'json_schema';
              name: string;
              schema: {
                [key: string]: unknown;
              };
              /** @description Refused with 400 when set: text.format.description is not supported by the router. */
              description?: string | null;
              strict?: boolean | null;
            };
        /** @description Refused with 400 when set: text.verbosity is not supported by the router. */
        verbosity?: ('low' | 'medium' | 'high') | null;
      };
      /** @description reasoning.effort is passed to the provider; summaries are refused. */
      reasoning?: {
        effort?: ('none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh') | null;
        /** @description Refused with 400 when set: reasoning.summary is not supported by the router. */
        summary?: ('auto' | 'concise' | 'detailed') | null;
        /** @description Refused with 400 when set: reasoning.generate_summary is not supported by the router. */
        generate_summary?: ('auto' | 'concise' | 'detailed') | null;
      } | null;
      /** @description End-user id for the provider (as safety_identifier). */
      user?: string;
      /** @description End-user id for the provider. */
      safety_identifier?: string | null;
      /** @description Up to 16 string pairs, passed to the provider and echoed on the response. */
      metadata?: {
        [key: string]: string;
      } | null;
      /** @description Passed to the provider as its service tier. */
      service_tier?: ('auto' | 'default' | 'flex' | 'scale' | 'priority') | null;
      /** @description Default true: the input and output items are kept for previous_response_id and GET, for this API key only. */
      store?: boolean | null;
      /** @description Continue a stored response of this principal's (another's is 404, like an unknown id). */
      previous_response_id?: string | null;
      /** @description true answers with the typed response.* events. */
      stream?: boolean | null;
      stream_options?: {
        /** @description Refused with 400 when set: stream_options.include_obfuscation (the router adds no obfuscation) is not supported by the router. */
        include_obfuscation?: boolean | null;
      } | null;
      /** @description Refused with 400 when set: background is not supported by the router. */
      background?: boolean | null;
      /** @description Refused with 400 when set: conversation (use previous_response_id) is not supported by the router. */
      conversation?: unknown | null;
      /** @description Refused with 400 when set: context_management is not supported by the router. */
      context_management?: unknown[] | null;
      /** @description Refused with 400 when set: include is not supported by the router. */
      include?: string[] | null;
      /** @description Refused with 400 when set: moderation is not supported by the router. */
      moderation?: unknown | null;
      /** @description Refused with 400 when set: prompt (prompt templates) is not supported by the router. */
      prompt?: unknown | null;
      /** @description Refused with 400 when set: prompt_cache_key is not supported by the router. */
      prompt_cache_key?: string | null;
      /** @description Refused with 400 when set: prompt_cache_options is not supported by the router. */
      prompt_cache_options?: unknown | null;
      /** @description Refused with 400 when set: prompt_cache_retention is not supported by the router. */
      prompt_cache_retention?: string | null;
      /** @description Refused with 400 when set: top_logprobs is not supported by the router. */
      top_logprobs?: number | null;
      /** @description Refused with 400 when set: truncation "auto" is not supported by the router. */
      truncation?: ('auto' | 'disabled') | null;
      /** @description Refused with 400 when set: max_tool_calls is not supported by the router. */
      max_tool_calls?: number | null;
    } & {
      [key: string]: unknown;
    };
    /** @description The /ask answer; the same shape for every provider. */
    AskResponse: {
      /** @description Response id (the upstream one when the provider gives one). */
      id: string;
      /**
       * @description Provider that answered (after a fallback, not the requested one).
       * @enum {string}
       */
      provider: 'openai' | 'anthropic' | 'azure' | 'openrouter' | 'ollama' | 'lmstudio';
      /** @description Model that answered, as the provider names it. */
      model: string;
      /** @description The answer text. */
      content: string;
      /** @description With response_format: the answer parsed as JSON and checked against the schema (content holds the same JSON as text). */
      parsed?: unknown;
      /** @description The answer as a chat message, ready to append to a conversation. */
      message: {
        /** @constant */
        role: 'assistant';
        content: string;
      };
      /**
       * @description Why the answer ended.
       * @enum {string}
       */
      finish_reason: 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'confirmation_required';
      /** @description Tool calls made while answering, in order. */
      tool_calls: components['schemas']['ToolCallRecord'][];
      usage: components['schemas']['Usage'];
      /** @description Time spent inside the router for this request, upstream included. */
      latency_ms: number;
      /** @description Upstream calls made for this answer, retries and fallbacks included. */
      attempts: number;
      /** @description Present when finish_reason is confirmation_required. */
      confirmation?: components['schemas']['Confirmation'];
    };
    /** @description Token usage, summed over every model round trip of the request. */
    Usage: {
      /** @description Prompt tokens, cached ones included; null when the provider sent no usage. */
      input_tokens: number | null;
      /** @description Generated tokens; null when not reported. */
      output_tokens: number | null;
      /** @description Input plus output; null when not reported. */
      total_tokens: number | null;
      /** @description Prompt tokens served from the provider's cache; only when the provider reports them. */
      cached_input_tokens?: number;
    };
    /** @description A tool call made while answering. server, result, is_error and duration_ms are present once the router ran the tool; a call the model only requested carries id, name and arguments. */
    ToolCallRecord: {
      /** @description Call id issued by the provider (or the router). */
      id: string;
      /** @description MCP server that owns the tool; null when the model named a tool that does not exist. */
      server?: string | null;
      /** @description The tool's name on its server. */
      name: string;
      /** @description Arguments the tool ran with, as an object. */
      arguments: {
        [key: string]: unknown;
      };
      /** @description The full MCP result, or the router's error text as one text block. */
      result?: {
        /** @description MCP content blocks. */
        content: {
          [key: string]: unknown;
        }[];
        /** @description MCP structured content, when the tool gave it. */
        structuredContent?: unknown;
      };
      /** @description Whether the tool reported an error. */
      is_error?: boolean;
      /** @description How long the tool took. */
      duration_ms?: number;
    };
    /** @description A tool call held until a human says yes or no. */
    Confirmation: {
      /** @description Approve or decline with POST /v1/confirmations/{id}, or send it back as confirm.id on the next POST /ask. */
      id: string;
      /** @description Tool that wants to run. */
      tool: string;
      /** @description MCP server that owns the tool. */
      server: string | null;
      /** @description Arguments it would run with. */
      arguments: {
        [key: string]: unknown;
      };
      /** @description What the call would do, for a human to judge. */
      message: string;
      /** @description ISO 8601 time after which the confirmation is void. */
      expires_at: string;
    };
    /** @description A piece of answer text. */
    DeltaEvent: {
      /** @description Text to append. */
      text: string;
    };
    /** @description A tool call the model made, before it runs. */
    ToolCallEvent: {
      /** @description Call id. */
      id: string;
      /** @description MCP server that owns the tool. */
      server?: string | null;
      /** @description Tool name. */
      name: string;
      /** @description Arguments the model passed. */
      arguments: {
        [key: string]: unknown;
      };
    };
    /** @description A tool call the router executed, with its result. */
    ToolResultEvent: {
      /** @description Call id issued by the provider (or the router). */
      id: string;
      /** @description MCP server that owns the tool; null when the model named a tool that does not exist. */
      server: string | null;
      /** @description The tool's name on its server. */
      name: string;
      /** @description Arguments the tool ran with, as an object. */
      arguments: {
        [key: string]: unknown;
      };
      /** @description The full MCP result, or the router's error text as one text block. */
      result: {
        /** @description MCP content blocks. */
        content: {
          [key: string]: unknown;
        }[];
        /** @description MCP structured content, when the tool gave it. */
        structuredContent?: unknown;
      };
      /** @description Whether the tool reported an error. */
      is_error: boolean;
      /** @description How long the tool took. */
      duration_ms: number;
    };
    /** @description The full answer; the last event of a successful stream. */
    DoneEvent: {
      /** @description Response id (the upstream one when the provider gives one). */
      id: string;
      /**
       * @description Provider that answered (after a fallback, not the requested one).
       * @enum {string}
       */
      provider: 'openai' | 'anthropic' | 'azure' | 'openrouter' | 'ollama' | 'lmstudio';
      /** @description Model that answered, as the provider names it. */
      model: string;
      /** @description The answer text. */
      content: string;
      /** @description With response_format: the answer parsed as JSON and checked against the schema (content holds the same JSON as text). */
      parsed?: unknown;
      /** @description The answer as a chat message, ready to append to a conversation. */
      message: {
        /** @constant */
        role: 'assistant';
        content: string;
      };
      /**
       * @description Why the answer ended.
       * @enum {string}
       */
      finish_reason: 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'confirmation_required';
      /** @description Tool calls made while answering, in order. */
      tool_calls: components['schemas']['ToolCallRecord'][];
      usage: components['schemas']['Usage'];
      /** @description Time spent inside the router for this request, upstream included. */
      latency_ms: number;
      /** @description Upstream calls made for this answer, retries and fallbacks included. */
      attempts: number;
      /** @description Present when finish_reason is confirmation_required. */
      confirmation?: components['schemas']['Confirmation'];
      /** @description Time the router itself spent, without the waits for the provider and the tools. */
      router_overhead_ms: number;
    };
    /** @description Body of every error response and of the error stream event. */
    ErrorBody: {
      error: {
        /** @description Stable machine-readable type, e.g. validation_error or rate_limited. */
        type: string;
        /** @description Human-readable message, safe to show: never a secret or a stack. */
        message: string;
        /** @description Provider involved, when the error came from upstream. */
        provider?: string;
        /** @description Field-level problems (validation_error). */
        issues?: components['schemas']['ValidationIssue'][];
      };
    };
    ValidationIssue: {
      /** @description Dotted path of the offending field, e.g. messages.0.role. */
      path: string;
      /** @description What is wrong with it. */
      message: string;
    };
    Health: {
      /** @constant */
      status: 'ok';
      /** @constant */
      service: 'ocs-router';
      /** @description Router version. */
      version: string;
    };
    Ready: {
      /** @constant */
      status: 'ready';
      /**
       * @description Default provider (LLM_PROVIDER).
       * @enum {string}
       */
      provider: 'openai' | 'anthropic' | 'azure' | 'openrouter' | 'ollama' | 'lmstudio';
      /** @description Context store backend, e.g. sqlite, memory or redis. */
      store: string;
    };
    NotReady: {
      /** @constant */
      status: 'not_ready';
      /** @description What is missing; a reason names a missing variable, never a value. */
      reasons: string[];
    };
    ModelList: {
      /** @constant */
      object: 'list';
      /** @description The default model of each configured provider. */
      data: {
        /** @description provider/model */
        id: string;
        /** @constant */
        object: 'model';
        created: number;
        /** @enum {string} */
        owned_by: 'openai' | 'anthropic' | 'azure' | 'openrouter' | 'ollama' | 'lmstudio';
      }[];
    };
    /** @description OpenAI Chat Completions response. */
    ChatCompletion: {
      id: string;
      /** @constant */
      object: 'chat.completion';
      /** @description Unix time in seconds. */
      created: number;
      model: string;
      choices: {
        index: number;
        message: {
          /** @constant */
          role: 'assistant';
          content: string | null;
          refusal: null;
          tool_calls?: {
            id: string;
            /** @constant */
            type: 'function';
            function: {
              name: string;
              /** @description JSON object as a string. */
              arguments: string;
            };
          }[];
        };
        /** @description Token log probabilities, when logprobs was asked for and the provider gives them. */
        logprobs: {
          content: unknown[] | null;
          refusal?: unknown[] | null;
        } | null;
        /** @enum {string} */
        finish_reason: 'stop' | 'length' | 'tool_calls' | 'content_filter';
      }[];
      /** @description Absent when the provider reported no usage. */
      usage?: {
        prompt_tokens: number;
        completion_tokens: number;
        total_tokens: number;
        prompt_tokens_details?: {
          cached_tokens: number;
        };
      };
      /** @description Router extension, only with the router's MCP tools on (x-router-tools: on or the principal's tools_on_compatible_apis): a tool call held for a human's yes. The message content is the question; answer with POST /v1/confirmations/{id} (or /ask's confirm). Streams carry it on the last chunk before [DONE]. */
      confirmation?: components['schemas']['Confirmation'];
    };
    /** @description OpenAI Responses API response object. */
    Response: {
      /** @description resp_...; pass it as previous_response_id to continue. */
      id: string;
      /** @constant */
      object: 'response';
      /** @description Unix time in seconds. */
      created_at: number;
      /** @enum {string} */
      status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
      /** @description Set when status is failed (a stream that failed after it started). */
      error: {
        code: string;
        message: string;
      } | null;
      incomplete_details: {
        /** @enum {string} */
        reason: 'max_output_tokens' | 'content_filter';
      } | null;
      instructions: string | null;
      max_output_tokens: number | null;
      model: string;
      output: (
        | {
            id: string;
            /** @constant */
            type: 'message';
            /** @enum {string} */
            status: 'in_progress' | 'completed' | 'incomplete';
            /** @constant */
            role: 'assistant';
            content: {
              /** @constant */
              type: 'output_text';
              text: string;
              /** @description Always empty. */
              annotations: unknown[];
              /** @description Always empty. */
              logprobs: unknown[];
            }[];
          }
        | {
            id: string;
            /** @constant */
            type: 'function_call';
            /** @enum {string} */
            status: 'in_progress' | 'completed' | 'incomplete';
            /** @description Send it back as function_call_output.call_id. */
            call_id: string;
            name: string;
            /** @description JSON object as a string. */
            arguments: string;
          }
      )[];
      parallel_tool_calls: boolean;
      previous_response_id: string | null;
      reasoning: {
        effort: string | null;
        summary: null;
      };
      store: boolean;
      temperature: number | null;
      text: {
        format: {
          [key: string]: unknown;
        };
      };
      tool_choice:
        | string
        | {
            /** @constant */
            type: 'function';
            name: string;
          };
      tools: {
        [key: string]: unknown;
      }[];
      top_p: number | null;
      /** @constant */
      truncation: 'disabled';
      /** @description null while in progress or when the provider reported none. */
      usage: {
        input_tokens: number;
        input_tokens_details: {
          cached_tokens: number;
        };
        output_tokens: number;
        output_tokens_details: {
          /** @description 0: no provider reports reasoning tokens to the router yet. */
          reasoning_tokens: number;
        };
        total_tokens: number;
      } | null;
      user: string | null;
      safety_identifier: string | null;
      metadata: {
        [key: string]: string;
      };
      service_tier: string | null;
      /** @description Router extension: the answer stopped at a tool call waiting for a human (tool loop opted in); the output text is the question. */
      confirmation?: components['schemas']['Confirmation'];
    };
    /** @description Body of every error response under /v1 (except /v1/messages), in OpenAI terms. */
    OpenAIErrorBody: {
      error: {
        /** @description Human-readable message, safe to show: never a secret or a stack. */
        message: string;
        /**
         * @description OpenAI's error type: invalid_request_error (400, 404, 409, 413, 415), authentication_error (401), permission_error (403), rate_limit_error (429), api_error (5xx).
         * @enum {string}
         */
        type:
          | 'invalid_request_error'
          | 'authentication_error'
          | 'permission_error'
          | 'rate_limit_error'
          | 'api_error';
        /** @description The offending request field (its dotted path), when one is known. */
        param: string | null;
        /** @description The upstream provider's own error code when it sent one (e.g. insufficient_quota), else the router's stable code (model_not_allowed, validation_error, rate_limited...). */
        code: string | null;
        /** @description Router extension: provider involved, for upstream errors. */
        provider?: string;
        /** @description Router extension: every field-level problem of a validation error. */
        issues?: {
          path: string;
          message: string;
        }[];
      };
    };
  };
  responses: {
    /** @description invalid_json: the body is not JSON, or is empty. */
    InvalidJson: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description unauthorized: API key missing or not recognised (only when API keys are configured). */
    Unauthorized: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description payload_too_large: the body is larger than ROUTER_MAX_BODY_BYTES. */
    PayloadTooLarge: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description validation_error: a field is invalid; issues lists each one with its path. */
    ValidationError: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "error": {
         *         "type": "validation_error",
         *         "message": "Invalid request: temperature: Too big: expected number to be <=2",
         *         "issues": [
         *           {
         *             "path": "temperature",
         *             "message": "Too big: expected number to be <=2"
         *           }
         *         ]
         *       }
         *     }
         */
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description rate_limited: the provider's rate limit, or this API key's ROUTER_RATE_LIMIT_RPM / ROUTER_RATE_LIMIT_TPM (Retry-After in seconds when known). */
    RateLimited: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description internal_error: unexpected router failure (details only in the log). */
    InternalError: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The process is up. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
    };
  };
  getReady: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "ready",
           *       "provider": "ollama",
           *       "store": "sqlite"
           *     }
           */
          'application/json': components['schemas']['Ready'];
        };
      };
      /** @description Not ready; every reason is listed. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "not_ready",
           *       "reasons": [
           *         "Provider openai needs OPENAI_API_KEY"
           *       ]
           *     }
           */
          'application/json': components['schemas']['NotReady'];
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Prometheus text exposition format. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
    };
  };
  getConsole: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Redirect to /console/. */
      308: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  getConsoleFile: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description File under the console folder. */
        file: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description No such file (or the console is not built). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  getOpenApiDocument: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OpenAPI 3.1 document. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': Record<string, never>;
        };
      };
    };
  };
  whoami: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The principal. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            name: string;
            roles: string[];
            users: string[];
            providers: string[];
            models: string[];
            /** @enum {string} */
            source: 'keys_file' | 'env_keys' | 'oidc' | 'local';
          };
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  getContextSchema: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description JSON Schema (draft 2020-12). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/schema+json': Record<string, never>;
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  ask: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "message": "What is my balance?",
         *       "provider": "anthropic",
         *       "model": "claude-sonnet-4-5",
         *       "user_id": "alice",
         *       "context": {
         *         "identity": {
         *           "name": "Alice",
         *           "locale": "en-GB"
         *         }
         *       },
         *       "temperature": 0.2,
         *       "max_tokens": 512
         *     }
         */
        'application/json': components['schemas']['AskRequest'];
      };
    };
    responses: {
      /** @description The answer (application/json), or its event stream when stream is true. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "msg_01",
           *       "provider": "anthropic",
           *       "model": "claude-sonnet-4-5",
           *       "content": "Your balance is 5 EUR.",
           *       "message": {
           *         "role": "assistant",
           *         "content": "Your balance is 5 EUR."
           *       },
           *       "finish_reason": "stop",
           *       "tool_calls": [],
           *       "usage": {
           *         "input_tokens": 20,
           *         "output_tokens": 6,
           *         "total_tokens": 26,
           *         "cached_input_tokens": 0
           *       },
           *       "latency_ms": 812.4,
           *       "attempts": 1
           *     }
           */
          'application/json': components['schemas']['AskResponse'];
          /**
           * @example event: delta
           *     data: {"text":"Your bal"}
           *
           *     event: tool_call
           *     data: {"id":"call_1","server":"ocs","name":"get_balance","arguments":{"msisdn":"46700"}}
           *
           *     event: done
           *     data: {"id":"msg_01","provider":"anthropic","model":"claude-sonnet-4-5","content":"Your balance is 5 EUR.","finish_reason":"stop","router_overhead_ms":0.41}
           */
          'text/event-stream': string;
        };
      };
      /** @description invalid_json (body is not JSON or empty), unknown_provider (the message lists the valid ones), provider_not_configured (names the missing variable, never a value), model_required, or upstream_bad_request (the provider refused the request). */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      401: components['responses']['Unauthorized'];
      /** @description provider_not_allowed / model_not_allowed: outside the principal's providers or models (the message names the allowed ones); approval_forbidden: ROUTER_APPROVAL=other-approver and this principal may not approve. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description not_found: the principal may not act for this user_id. confirmation_not_found: confirm.id is unknown, was already answered, or belongs to another principal or user_id. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description confirmation_expired: the pending confirmation expired; nothing was done. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      413: components['responses']['PayloadTooLarge'];
      422: components['responses']['ValidationError'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      /** @description Upstream failure: upstream_auth_error (the provider refused the credentials), upstream_unreachable (names the provider and base URL) or upstream_error. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description upstream_overloaded: the provider is overloaded (Retry-After when known). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description upstream_timeout: the provider did not answer in time. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getContext: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path: {
        /** @description Stable user id: 1-128 characters from A-Z a-z 0-9 . _ @ : -, not only dots */
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The stored envelope. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContextEnvelope'];
        };
      };
      401: components['responses']['Unauthorized'];
      /** @description not_found: nothing is stored for this user, or the principal may not act for it (the same answer). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      422: components['responses']['ValidationError'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
    };
  };
  putContext: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path: {
        /** @description Stable user id: 1-128 characters from A-Z a-z 0-9 . _ @ : -, not only dots */
        user_id: string;
      };
      cookie?: never;
    };
    /** @description The new envelope; replaces whatever was stored. */
    requestBody: {
      content: {
        /**
         * @example {
         *       "identity": {
         *         "name": "Alice",
         *         "role": "care agent",
         *         "locale": "en-GB"
         *       },
         *       "memory": {
         *         "facts": [
         *           "prepaid customer"
         *         ]
         *       },
         *       "tools": {
         *         "servers": [
         *           "ocs"
         *         ],
         *         "deny": [
         *           "delete_subscriber"
         *         ]
         *       }
         *     }
         */
        'application/json': components['schemas']['ContextEnvelope'];
      };
    };
    responses: {
      /** @description The stored envelope. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContextEnvelope'];
        };
      };
      400: components['responses']['InvalidJson'];
      401: components['responses']['Unauthorized'];
      /** @description not_found: the principal may not act for this user_id. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      413: components['responses']['PayloadTooLarge'];
      422: components['responses']['ValidationError'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
    };
  };
  replaceContext: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path: {
        /** @description Stable user id: 1-128 characters from A-Z a-z 0-9 . _ @ : -, not only dots */
        user_id: string;
      };
      cookie?: never;
    };
    /** @description The new envelope; replaces whatever was stored. */
    requestBody: {
      content: {
        /**
         * @example {
         *       "identity": {
         *         "name": "Alice",
         *         "role": "care agent",
         *         "locale": "en-GB"
         *       },
         *       "memory": {
         *         "facts": [
         *           "prepaid customer"
         *         ]
         *       },
         *       "tools": {
         *         "servers": [
         *           "ocs"
         *         ],
         *         "deny": [
         *           "delete_subscriber"
         *         ]
         *       }
         *     }
         */
        'application/json': components['schemas']['ContextEnvelope'];
      };
    };
    responses: {
      /** @description The stored envelope. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContextEnvelope'];
        };
      };
      400: components['responses']['InvalidJson'];
      401: components['responses']['Unauthorized'];
      /** @description not_found: the principal may not act for this user_id. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      413: components['responses']['PayloadTooLarge'];
      422: components['responses']['ValidationError'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
    };
  };
  deleteContext: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path: {
        /** @description Stable user id: 1-128 characters from A-Z a-z 0-9 . _ @ : -, not only dots */
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      401: components['responses']['Unauthorized'];
      /** @description not_found: nothing is stored for this user, or the principal may not act for it (the same answer). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      422: components['responses']['ValidationError'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
    };
  };
  mergeContext: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path: {
        /** @description Stable user id: 1-128 characters from A-Z a-z 0-9 . _ @ : -, not only dots */
        user_id: string;
      };
      cookie?: never;
    };
    /** @description Fields to merge. */
    requestBody: {
      content: {
        /**
         * @example {
         *       "identity": {
         *         "name": "Alice",
         *         "role": "care agent",
         *         "locale": "en-GB"
         *       },
         *       "memory": {
         *         "facts": [
         *           "prepaid customer"
         *         ]
         *       },
         *       "tools": {
         *         "servers": [
         *           "ocs"
         *         ],
         *         "deny": [
         *           "delete_subscriber"
         *         ]
         *       }
         *     }
         */
        'application/json': components['schemas']['ContextEnvelope'];
      };
    };
    responses: {
      /** @description The merged envelope. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContextEnvelope'];
        };
      };
      400: components['responses']['InvalidJson'];
      401: components['responses']['Unauthorized'];
      /** @description not_found: the principal may not act for this user_id. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      413: components['responses']['PayloadTooLarge'];
      422: components['responses']['ValidationError'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
    };
  };
  createChatCompletion: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
        /** @description on: run the router's MCP tools for this request (which ones: the principal's roles decide; the header never widens them); off: not for this request, even when the principal's tools_on_compatible_apis is true. Anything else is 400. */
        'x-router-tools'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "model": "anthropic/claude-sonnet-4-5",
         *       "messages": [
         *         {
         *           "role": "user",
         *           "content": "Hello"
         *         }
         *       ]
         *     }
         */
        'application/json': components['schemas']['ChatCompletionsRequest'];
      };
    };
    responses: {
      /** @description The completion, or chat.completion.chunk events when stream is true. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ChatCompletion'];
          /**
           * @example data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}
           *
           *     data: [DONE]
           */
          'text/event-stream': string;
        };
      };
      /** @description invalid_request_error. code: validation_error (param names the field; issues lists every problem; 400 where the router's own routes say 422), invalid_json, unknown_provider, provider_not_configured, model_required, or the provider's own code when it refused the request (upstream_bad_request otherwise). */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description authentication_error, code unauthorized: API key missing or not recognised. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description permission_error, code provider_not_allowed / model_not_allowed: outside the principal's providers or models (the message names the allowed ones). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description invalid_request_error, code payload_too_large: the body is larger than ROUTER_MAX_BODY_BYTES. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description rate_limit_error, code rate_limited (this API key's ROUTER_RATE_LIMIT_RPM / TPM) or the provider's own code (Retry-After in seconds when known). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description api_error, code internal_error: unexpected router failure (details only in the log). */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description api_error: the provider failed. code: the provider's own error code when it sent one, else upstream_auth_error, upstream_unreachable or upstream_error. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description api_error, code upstream_overloaded or the provider's own code (Retry-After when known). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description api_error, code upstream_timeout: the provider did not answer in time. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
    };
  };
  listModels: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Model list. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "object": "list",
           *       "data": [
           *         {
           *           "id": "ollama/llama3.2",
           *           "object": "model",
           *           "created": 0,
           *           "owned_by": "ollama"
           *         }
           *       ]
           *     }
           */
          'application/json': components['schemas']['ModelList'];
        };
      };
      /** @description authentication_error, code unauthorized: API key missing or not recognised. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description rate_limit_error, code rate_limited (this API key's ROUTER_RATE_LIMIT_RPM / TPM) or the provider's own code (Retry-After in seconds when known). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
    };
  };
  answerConfirmation: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path: {
        /** @description confirmation.id from the answer that asked */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "approve": true
         *     }
         */
        'application/json': components['schemas']['ConfirmationAnswer'];
      };
    };
    responses: {
      /** @description The answer the model gave after the decision. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AskResponse'];
        };
      };
      /** @description invalid_json (body is not JSON or empty), unknown_provider (the message lists the valid ones), provider_not_configured (names the missing variable, never a value), model_required, or upstream_bad_request (the provider refused the request). */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      401: components['responses']['Unauthorized'];
      /** @description approval_forbidden: ROUTER_APPROVAL=other-approver and this principal may not approve. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description confirmation_not_found: the id is unknown, was already answered, or belongs to another principal (the same answer). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description confirmation_expired: the pending confirmation expired; nothing was done. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      413: components['responses']['PayloadTooLarge'];
      422: components['responses']['ValidationError'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      /** @description Upstream failure: upstream_auth_error (the provider refused the credentials), upstream_unreachable (names the provider and base URL) or upstream_error. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description upstream_overloaded: the provider is overloaded (Retry-After when known). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description upstream_timeout: the provider did not answer in time. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  createMessage: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
        /** @description Sent upstream unchanged on the anthropic provider; otherwise not needed. */
        'anthropic-version'?: string;
        /** @description Sent upstream unchanged on the anthropic provider; otherwise ignored (betas are Anthropic features). */
        'anthropic-beta'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "model": "openai/gpt-4o",
         *       "max_tokens": 256,
         *       "messages": [
         *         {
         *           "role": "user",
         *           "content": "Hello"
         *         }
         *       ]
         *     }
         */
        'application/json': {
          /** @description "provider/model" picks the provider; a plain name goes to the default provider. */
          model: string;
          /** @description Upper bound on generated tokens (required). */
          max_tokens: number;
          messages: ({
            /** @enum {string} */
            role: 'user' | 'assistant' | 'system';
            content:
              | string
              | ({
                  type: string;
                } & {
                  [key: string]: unknown;
                })[];
          } & {
            [key: string]: unknown;
          })[];
          /** @description System prompt: a string or text blocks. */
          system?:
            | string
            | ({
                /** @enum {string} */
                type: 'text';
                text: string;
                /** @description Prompt-caching hint. */
                cache_control?:
                  | ({
                      type: string;
                    } & {
                      [key: string]: unknown;
                    })
                  | null;
              } & {
                [key: string]: unknown;
              })[];
          /** @description Router extension: pick the provider without a "provider/" model prefix. */
          provider?: string;
          /** @description true answers with Anthropic stream events. */
          stream?: boolean;
          stop_sequences?: string[];
          temperature?: number;
          top_p?: number;
          top_k?: number;
          metadata?: {
            user_id?: string | null;
          } & {
            [key: string]: unknown;
          };
          tools?: ({
            name: string;
            type?: string;
            description?: string;
            input_schema?: {
              [key: string]: unknown;
            };
          } & {
            [key: string]: unknown;
          })[];
          tool_choice?: {
            /** @enum {string} */
            type: 'auto' | 'any' | 'tool' | 'none';
            name?: string;
            disable_parallel_tool_use?: boolean;
          } & {
            [key: string]: unknown;
          };
          thinking?: {
            /** @enum {string} */
            type: 'enabled' | 'disabled' | 'adaptive';
            budget_tokens?: number;
          } & {
            [key: string]: unknown;
          };
          output_config?: {
            [key: string]: unknown;
          };
        } & {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The message, or Anthropic stream events when stream is true. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            /** @enum {string} */
            type: 'message';
            /** @enum {string} */
            role: 'assistant';
            model: string;
            content: (
              | {
                  /** @enum {string} */
                  type: 'text';
                  text: string;
                }
              | {
                  /** @enum {string} */
                  type: 'tool_use';
                  id: string;
                  name: string;
                  input: {
                    [key: string]: unknown;
                  };
                }
            )[];
            /** @enum {string} */
            stop_reason: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';
            stop_sequence: string | null;
            usage: {
              input_tokens: number;
              output_tokens: number;
              cache_creation_input_tokens: number;
              cache_read_input_tokens: number;
            };
            /** @description Router extension: the answer stopped at a tool call waiting for a human yes (tool loop opted in). */
            confirmation?: {
              /** @description Approve or decline with POST /v1/confirmations/{id}, or send it back as confirm.id on the next POST /ask. */
              id: string;
              /** @description Tool that wants to run. */
              tool: string;
              /** @description MCP server that owns the tool. */
              server: string | null;
              /** @description Arguments it would run with. */
              arguments: {
                [key: string]: unknown;
              };
              /** @description What the call would do, for a human to judge. */
              message: string;
              /** @description ISO 8601 time after which the confirmation is void. */
              expires_at: string;
            };
          };
          /**
           * @example event: message_start
           *     data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"gpt-4o","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}
           *
           *     event: content_block_delta
           *     data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}
           *
           *     event: message_stop
           *     data: {"type":"message_stop"}
           */
          'text/event-stream': string;
        };
      };
      /** @description invalid_request_error: invalid body (the message names the field), or a field this provider cannot honour (unsupported_parameter: the message names the field and the provider). */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description authentication_error: API key missing, not recognised, or x-api-key and Authorization disagree. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description permission_error: provider or model outside the principal's allowance. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description request_too_large: the body is larger than ROUTER_MAX_BODY_BYTES. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description rate_limit_error: the provider or this key is rate limited (retry-after when known). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description api_error: unexpected router failure. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description api_error: the provider failed or refused the credentials. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description timeout_error: the provider did not answer in time. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description overloaded_error: the provider is overloaded. */
      529: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
    };
  };
  countMessageTokens: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
        /** @description Sent upstream unchanged on the anthropic provider; otherwise not needed. */
        'anthropic-version'?: string;
        /** @description Sent upstream unchanged on the anthropic provider; otherwise ignored (betas are Anthropic features). */
        'anthropic-beta'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description "provider/model" picks the provider; a plain name goes to the default provider. */
          model: string;
          /** @description Upper bound on generated tokens (required). */
          max_tokens?: number;
          messages: ({
            /** @enum {string} */
            role: 'user' | 'assistant' | 'system';
            content:
              | string
              | ({
                  type: string;
                } & {
                  [key: string]: unknown;
                })[];
          } & {
            [key: string]: unknown;
          })[];
          /** @description System prompt: a string or text blocks. */
          system?:
            | string
            | ({
                /** @enum {string} */
                type: 'text';
                text: string;
                /** @description Prompt-caching hint. */
                cache_control?:
                  | ({
                      type: string;
                    } & {
                      [key: string]: unknown;
                    })
                  | null;
              } & {
                [key: string]: unknown;
              })[];
          /** @description Router extension: pick the provider without a "provider/" model prefix. */
          provider?: string;
          /** @description true answers with Anthropic stream events. */
          stream?: boolean;
          stop_sequences?: string[];
          temperature?: number;
          top_p?: number;
          top_k?: number;
          metadata?: {
            user_id?: string | null;
          } & {
            [key: string]: unknown;
          };
          tools?: ({
            name: string;
            type?: string;
            description?: string;
            input_schema?: {
              [key: string]: unknown;
            };
          } & {
            [key: string]: unknown;
          })[];
          tool_choice?: {
            /** @enum {string} */
            type: 'auto' | 'any' | 'tool' | 'none';
            name?: string;
            disable_parallel_tool_use?: boolean;
          } & {
            [key: string]: unknown;
          };
          thinking?: {
            /** @enum {string} */
            type: 'enabled' | 'disabled' | 'adaptive';
            budget_tokens?: number;
          } & {
            [key: string]: unknown;
          };
          output_config?: {
            [key: string]: unknown;
          };
        } & {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description Anthropic's answer, unchanged. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            input_tokens: number;
          };
        };
      };
      /** @description invalid_request_error: invalid body (the message names the field), or a field this provider cannot honour (unsupported_parameter: the message names the field and the provider). */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description authentication_error: API key missing, not recognised, or x-api-key and Authorization disagree. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description permission_error: provider or model outside the principal's allowance. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description request_too_large: the body is larger than ROUTER_MAX_BODY_BYTES. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description rate_limit_error: the provider or this key is rate limited (retry-after when known). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description api_error: unexpected router failure. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description api_error: the provider failed or refused the credentials. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description timeout_error: the provider did not answer in time. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
      /** @description overloaded_error: the provider is overloaded. */
      529: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            type?: 'error';
            error?: {
              type?: string;
              message?: string;
            };
          };
        };
      };
    };
  };
  createResponse: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "model": "anthropic/claude-sonnet-4-5",
         *       "input": "Hello"
         *     }
         */
        'application/json': components['schemas']['ResponsesRequest'];
      };
    };
    responses: {
      /** @description The response object, or its typed events when stream is true. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Response'];
          /**
           * @example event: response.created
           *     data: {"type":"response.created","response":{"id":"resp_1","object":"response","status":"in_progress","output":[]},"sequence_number":0}
           *
           *     event: response.output_text.delta
           *     data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi","logprobs":[],"sequence_number":4}
           *
           *     event: response.completed
           *     data: {"type":"response.completed","response":{"id":"resp_1","object":"response","status":"completed"},"sequence_number":9}
           */
          'text/event-stream': string;
        };
      };
      /** @description invalid_request_error. code: validation_error (param names the field; issues lists every problem; 400 where the router's own routes say 422), invalid_json, unknown_provider, provider_not_configured, model_required, or the provider's own code when it refused the request (upstream_bad_request otherwise). */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description authentication_error, code unauthorized: API key missing or not recognised. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description permission_error, code provider_not_allowed / model_not_allowed: outside the principal's providers or models (the message names the allowed ones). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description invalid_request_error, code previous_response_not_found (param previous_response_id): no stored response with that id for this API key (another principal's id answers the same). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description invalid_request_error, code payload_too_large: the body is larger than ROUTER_MAX_BODY_BYTES. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description rate_limit_error, code rate_limited (this API key's ROUTER_RATE_LIMIT_RPM / TPM) or the provider's own code (Retry-After in seconds when known). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description api_error, code internal_error: unexpected router failure (details only in the log). */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description api_error: the provider failed. code: the provider's own error code when it sent one, else upstream_auth_error, upstream_unreachable or upstream_error. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description api_error, code upstream_overloaded or the provider's own code (Retry-After when known). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description api_error, code upstream_timeout: the provider did not answer in time. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
    };
  };
  getResponse: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path: {
        /** @description The resp_... id. */
        response_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The stored response object. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Response'];
        };
      };
      /** @description invalid_request_error. code: validation_error (param names the field; issues lists every problem; 400 where the router's own routes say 422), invalid_json, unknown_provider, provider_not_configured, model_required, or the provider's own code when it refused the request (upstream_bad_request otherwise). */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description authentication_error, code unauthorized: API key missing or not recognised. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description invalid_request_error, code response_not_found: no stored response with this id for this API key (another principal's id answers the same). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description rate_limit_error, code rate_limited (this API key's ROUTER_RATE_LIMIT_RPM / TPM) or the provider's own code (Retry-After in seconds when known). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
    };
  };
  deleteResponse: {
    parameters: {
      query?: never;
      header?: {
        /** @description Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID. */
        'x-request-id'?: string;
      };
      path: {
        /** @description The resp_... id. */
        response_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            /** @enum {string} */
            object: 'response.deleted';
            /** @enum {boolean} */
            deleted: true;
          };
        };
      };
      /** @description authentication_error, code unauthorized: API key missing or not recognised. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description invalid_request_error, code response_not_found: no stored response with this id for this API key (another principal's id answers the same). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
      /** @description rate_limit_error, code rate_limited (this API key's ROUTER_RATE_LIMIT_RPM / TPM) or the provider's own code (Retry-After in seconds when known). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenAIErrorBody'];
        };
      };
    };
  };
}
