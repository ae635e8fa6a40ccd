import { defineRules } from './rule.js';

const THROTTLE =
  'Throttle per provider and model below the published RPM/TPM limits with a shared token bucket, and honour the reset headers.';

/** OpenAI, Anthropic and Gemini API errors, as their SDKs and HTTP bodies report them. */
export const LLM_RULES = defineRules([
  {
    id: 'openai.rate_limit',
    when: [{ codes: ['rate_limit_exceeded'] }, { message: /Rate limit reached for/i }],
    category: 'rate_limit',
    transient: true,
    rootCause:
      'The organization went over its per-minute (or per-day) request or token limit for this model.',
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'reduce_context', 'switch_model'],
    prevention: THROTTLE,
  },
  {
    id: 'openai.request_too_large',
    when: { message: /Request too large for .* on tokens per min/i },
    // OpenAI sends this with code rate_limit_exceeded, but no wait will let it through.
    priority: 2,
    // The prompt does not fit the model as deployed, which is what code_generation covers.
    category: 'code_generation',
    transient: false,
    rootCause:
      'One request asks for more tokens than the whole per-minute (TPM) limit of the model, so it can never pass the limiter.',
    remedies: ['reduce_context', 'reduce_batch_size', 'switch_model', 'escalate'],
    prevention:
      'Split inputs so each request stays well under the TPM limit, or raise the usage tier.',
  },
  {
    id: 'openai.insufficient_quota',
    when: [{ codes: ['insufficient_quota'] }, { message: /exceeded your current quota/i }],
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      'The account has no quota or credit left (billing limit reached or no payment method); waiting will not help.',
    remedies: ['escalate', 'switch_model', 'fail_fast'],
    prevention:
      'Alert on spend before the hard limit, enable auto-recharge, and keep a fallback provider in the model list.',
  },
  {
    id: 'openai.context_length_exceeded',
    when: [
      { codes: ['context_length_exceeded'] },
      {
        message:
          /maximum context length is \d+ tokens|Input tokens exceed the configured limit|input length exceeds (?:the )?maximum context length/i,
      },
    ],
    category: 'code_generation',
    transient: false,
    rootCause:
      "The prompt plus the requested completion tokens is larger than the model's context window.",
    remedies: ['reduce_context', 'switch_model', 'fail_fast'],
    prevention:
      'Count tokens before sending (tiktoken) and trim or summarise history to fit, leaving room for max_tokens.',
  },
  {
    id: 'openai.invalid_api_key',
    when: [{ codes: ['invalid_api_key'] }, { message: /Incorrect API key provided/i }],
    category: 'auth',
    transient: false,
    rootCause: 'The OpenAI API key is wrong, revoked, or belongs to another project.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention: 'Load the key from the secret store and verify it with a cheap call at start-up.',
  },
  {
    id: 'openai.model_not_found',
    when: [
      { codes: ['model_not_found'] },
      { message: /The (?:requested )?model:? [`'"]?[\w.:/-]+[`'"]? does not exist/i },
      // Groq and others retire models under their users: the same fix, another model.
      { message: /The model [`'"]?[\w.:/-]+[`'"]? has been decommissioned/i },
    ],
    category: 'api_failure',
    transient: false,
    rootCause: 'The model name is wrong, retired, or not enabled for this organization.',
    remedies: ['switch_model', 'escalate'],
    prevention:
      'Keep model names in configuration with a tested fallback, and follow deprecation notices.',
  },
  {
    id: 'openai.server_error',
    when: {
      message:
        /The server had an error (?:while )?processing your request|(?:engine|model) is currently overloaded|An error occurred while processing your request\. You can retry your request/i,
    },
    category: 'api_failure',
    transient: true,
    rootCause: 'OpenAI had an internal error or was overloaded while serving the request.',
    remedies: ['retry_with_backoff', 'switch_model', 'open_circuit_breaker'],
    prevention: 'Retry with jittered backoff and keep a fallback model.',
  },
  {
    id: 'openai.connection_timeout',
    when: [{ names: ['APIConnectionTimeoutError'] }, { message: /^Request timed out\.?$/ }],
    category: 'timeout',
    transient: true,
    rootCause:
      'The SDK got no response before its timeout (10 minutes by default, often set lower); long generations or a slow network.',
    remedies: ['increase_timeout', 'retry_with_backoff', 'reduce_context'],
    prevention:
      'Stream long completions and set the timeout per request from the expected output length.',
  },
  {
    id: 'openai.connection_error',
    when: [{ names: ['APIConnectionError'] }, { message: /^Connection error\.?$/ }],
    category: 'network',
    transient: true,
    rootCause:
      'The SDK could not reach the API at the network level; the cause holds the socket error.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
    prevention: 'Log error.cause and check proxy/DNS settings of the worker hosts.',
  },
  {
    id: 'anthropic.rate_limit',
    when: [
      { codes: ['rate_limit_error'] },
      {
        message:
          /would exceed the rate limit for your organization|exceeded your per-minute rate limit/i,
      },
    ],
    category: 'rate_limit',
    transient: true,
    rootCause:
      "The organization exceeded Anthropic's requests, input or output tokens per minute for this model.",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'reduce_context'],
    prevention: THROTTLE,
  },
  {
    id: 'anthropic.overloaded',
    when: [
      { codes: ['overloaded_error'] },
      { statuses: [529] },
      // The error body as a Python dict or JSON inside another message.
      { message: /['"]type['"]\s*:\s*['"]overloaded_error['"]/ },
      // LiteLLM's wrapper of the same error.
      { message: /AnthropicException - Overloaded/ },
    ],
    // 529 is Anthropic's alone; it must beat the generic status rules.
    priority: 1,
    category: 'api_failure',
    transient: true,
    rootCause:
      "Anthropic's API is temporarily overloaded across users; the request itself is fine.",
    remedies: ['retry_with_backoff', 'switch_model', 'open_circuit_breaker'],
    prevention:
      'Retry with jittered backoff and fall back to another model or provider during overload spikes.',
  },
  {
    id: 'anthropic.credit_balance_too_low',
    when: { message: /credit balance is too low/i },
    category: 'quota_exhausted',
    transient: false,
    rootCause: 'The Anthropic account has run out of prepaid credits.',
    remedies: ['escalate', 'switch_model', 'fail_fast'],
    prevention: 'Enable auto-reload of credits and alert on low balance.',
  },
  {
    id: 'anthropic.prompt_too_long',
    when: { message: /prompt is too long/i },
    category: 'code_generation',
    transient: false,
    rootCause: "The prompt has more tokens than the Claude model's context window.",
    remedies: ['reduce_context', 'switch_model', 'fail_fast'],
    prevention: 'Count tokens before sending and trim or summarise history to fit.',
  },
  {
    id: 'anthropic.authentication_error',
    when: [{ codes: ['authentication_error'] }, { message: /invalid x-api-key/i }],
    category: 'auth',
    transient: false,
    rootCause: 'The x-api-key header is missing, wrong or revoked.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention: 'Load the key from the secret store and verify it at start-up.',
  },
  {
    id: 'gemini.resource_exhausted',
    when: [
      { codes: ['RESOURCE_EXHAUSTED'] },
      { resources: ['gemini'], statuses: [429] },
      { message: /Resource has been exhausted \(e\.g\. check quota\)/i },
    ],
    // Gemini words per-minute limits as "exceeded your current quota"; it must beat the OpenAI quota rule.
    priority: 1,
    category: 'rate_limit',
    transient: true,
    rootCause:
      'A Gemini per-minute or per-day quota (requests or tokens, per model and tier) is used up; the response says when to retry.',
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'switch_model', 'escalate'],
    prevention:
      "Throttle below the tier's RPM/TPM, and move to a paid tier for production traffic.",
  },
  {
    id: 'gemini.api_key_invalid',
    when: [
      { codes: ['API_KEY_INVALID'] },
      { message: /API key not valid\. Please pass a valid API key/i },
    ],
    category: 'auth',
    transient: false,
    rootCause: 'The Gemini API key is wrong, deleted or restricted to other APIs.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention:
      'Verify the key at start-up and keep API restrictions in step with the services used.',
  },
  {
    id: 'gemini.overloaded',
    when: { message: /The model is overloaded\. Please try again later/i },
    category: 'api_failure',
    transient: true,
    rootCause: 'The Gemini model is temporarily overloaded (503 UNAVAILABLE).',
    remedies: ['retry_with_backoff', 'switch_model', 'open_circuit_breaker'],
    prevention: 'Retry with jittered backoff and keep a fallback model.',
  },
  {
    id: 'gemini.token_limit',
    when: { message: /input token count \(\d+\) exceeds the maximum number of tokens allowed/i },
    category: 'code_generation',
    transient: false,
    rootCause: 'The request has more input tokens than the Gemini model accepts.',
    remedies: ['reduce_context', 'switch_model', 'fail_fast'],
    prevention: 'Count tokens (countTokens) before sending and trim the input.',
  },
  {
    id: 'huggingface.model_loading',
    when: { message: /\bModel [\w./-]+ is currently loading\b/ },
    category: 'api_failure',
    transient: true,
    rootCause:
      'The hosted model is cold and still loading; the answer says how long that takes (estimated_time).',
    remedies: ['wait_for_rate_limit', 'retry_with_backoff'],
    prevention: 'Send wait_for_model, or keep the endpoint warm.',
  },
  {
    id: 'ollama.model_not_found',
    when: [
      { message: /model ['"][^'"]+['"] not found, try pulling it first/i },
      { message: /Ollama call failed with status code 404\. Maybe your model is not found/i },
    ],
    category: 'deployment',
    transient: false,
    rootCause:
      'The model asked for is not on the Ollama host: never pulled there, or its name or tag is wrong.',
    remedies: ['escalate', 'switch_model'],
    prevention: 'Pull or provision models when deploying and check the model list at start-up.',
  },
  {
    id: 'llm.tool_calls_unanswered',
    when: {
      message:
        /An assistant message with 'tool_calls' must be followed by tool messages|tool_use` ids were found without `tool_result` blocks|tool_call_id[^\n]{0,40}(?:not found|did not have response messages)/i,
    },
    category: 'code_generation',
    transient: false,
    rootCause:
      'The conversation sent to the model has a tool call without its tool result (a result dropped, reordered or trimmed away with the history).',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Keep each tool call and its result together when trimming or summarising history, and validate the message list before sending.',
  },
  {
    id: 'llm.max_tokens_unsupported',
    when: {
      message:
        /Unsupported parameter: 'max_tokens' is not supported with this model\. Use 'max_completion_tokens'/i,
    },
    category: 'code_generation',
    transient: false,
    rootCause:
      "The model (OpenAI's reasoning models and their successors) takes max_completion_tokens; the request still sends max_tokens.",
    remedies: ['escalate', 'switch_model'],
    prevention:
      'Upgrade the SDK or framework and take parameter names from the model you call, testing each model you switch to.',
  },
  {
    id: 'llm.max_tokens_too_large',
    when: {
      message:
        /max_tokens is too large: \d+\. This model supports at most \d+|max_tokens: \d+ > \d+, which is the maximum allowed|max_tokens must be (?:less than or equal to|at most) \d+/i,
    },
    category: 'code_generation',
    transient: false,
    rootCause: 'The request asks for more output tokens than the model can produce.',
    remedies: ['reduce_context', 'switch_model', 'escalate'],
    prevention: "Take the output limit from the model's own settings rather than a shared default.",
  },
  {
    id: 'openai.strict_schema_invalid',
    when: { message: /Invalid schema for response_format '[^']+'/i },
    category: 'code_generation',
    transient: false,
    rootCause:
      "The JSON schema sent for structured output breaks strict mode's rules (every property required, additionalProperties false).",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      "Generate strict schemas with the SDK's helpers (zod or pydantic) rather than by hand.",
  },
  {
    id: 'anthropic.streaming_required',
    when: {
      message:
        /Streaming is strongly recommended for operations that may take longer than 10 minutes/i,
    },
    category: 'timeout',
    transient: false,
    rootCause:
      'The SDK refuses a non-streaming request whose max_tokens could take over ten minutes.',
    remedies: ['reduce_context', 'escalate'],
    prevention: 'Stream long generations, or ask for fewer output tokens per call.',
  },
  {
    id: 'vllm.kv_cache_too_small',
    when: {
      message: /is larger than the maximum number of tokens that can be stored in KV cache/i,
    },
    category: 'resource',
    transient: false,
    rootCause: "vLLM's max_model_len needs more KV cache than the GPU memory it may use provides.",
    remedies: ['reduce_context', 'increase_memory', 'escalate'],
    prevention: 'Lower max_model_len or raise gpu_memory_utilization (or use a larger GPU).',
  },
  {
    id: 'gemini.recitation',
    when: {
      message:
        /finish_?[rR]eason"?'?:?\s*"?RECITATION|StopCandidateException: finish_reason: RECITATION/i,
    },
    category: 'code_generation',
    transient: false,
    rootCause:
      'Gemini stopped its answer because it would reproduce existing text verbatim (recitation).',
    remedies: ['switch_model', 'reduce_context', 'escalate'],
    prevention:
      'Ask for summaries rather than copies of source text, and handle the RECITATION finish reason.',
  },
  {
    id: 'openai.invalid_model_output',
    when: { message: /The model produced invalid content\. Consider modifying your prompt/i },
    category: 'code_generation',
    transient: true,
    rootCause:
      "The model's output could not be parsed by the API (often in tool calls or structured output); it may pass on another try.",
    remedies: ['retry_with_backoff', 'switch_model', 'escalate'],
    prevention: 'Retry a few times, and simplify the prompt or schema if it persists.',
  },
  {
    id: 'anthropic.api_error',
    when: { message: /["']type["']\s*:\s*["']api_error["']/i },
    category: 'api_failure',
    transient: true,
    rootCause:
      "Anthropic's API failed on its side (an internal server error); the request itself is fine.",
    remedies: ['retry_with_backoff', 'switch_model', 'open_circuit_breaker'],
    prevention: 'Retry with backoff and fall back to another model during incidents.',
  },
]);
