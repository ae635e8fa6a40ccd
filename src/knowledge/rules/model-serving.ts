import { defineRules } from './rule.js';

/**
 * Self-hosted model servers (vLLM, Ollama, Text Generation Inference), model hubs, and what a
 * hosted provider says about the model or deployment asked for: errors of serving a model rather
 * than of the API call around it.
 */
export const MODEL_SERVING_RULES = defineRules([
  {
    id: 'vllm.no_cache_memory',
    when: { message: /No available memory for the cache blocks/i },
    category: 'resource',
    transient: false,
    rootCause:
      'After loading the weights, vLLM had no GPU memory left for the KV cache: gpu_memory_utilization is set too low for the model on this GPU.',
    remedies: ['increase_memory', 'switch_model', 'escalate'],
    prevention:
      'Size gpu_memory_utilization and max_model_len for the GPU the server runs on, and check them at start-up.',
  },
  {
    id: 'tgi.input_token_limit',
    when: {
      message:
        /Input validation error: `inputs` (?:tokens \+ `max_new_tokens` must be <=|must have less than) \d+/i,
    },
    category: 'code_generation',
    transient: false,
    rootCause:
      "The prompt plus the tokens asked for exceed the Text Generation Inference server's max_input_length / max_total_tokens, which it was launched with.",
    remedies: ['reduce_context', 'switch_model', 'escalate'],
    prevention:
      "Launch the server with the model's real context limits, and budget prompt and max_new_tokens against them.",
  },
  {
    id: 'ollama.insufficient_memory',
    when: { message: /model requires more system memory \([\d.]+ ?[KMGT]i?B\) than is available/i },
    category: 'resource',
    transient: false,
    rootCause: 'The machine has less free memory than the Ollama model needs to load.',
    remedies: ['switch_model', 'escalate'],
    prevention: "Choose models (or quantisations) that fit the host's free memory.",
  },
  {
    id: 'ollama.runner_start_timeout',
    when: { message: /timed out waiting for llama runner to start/i },
    category: 'timeout',
    transient: false,
    rootCause:
      'Loading the model into memory took longer than Ollama waits for its runner (OLLAMA_LOAD_TIMEOUT): a large model on slow storage or a busy GPU.',
    remedies: ['increase_timeout', 'switch_model', 'escalate'],
    prevention:
      'Raise OLLAMA_LOAD_TIMEOUT for large models, and keep them loaded (keep_alive) between jobs.',
  },
  {
    id: 'huggingface.gated_repo',
    when: { message: /\bGatedRepoError\b|Cannot access gated repo for url/i },
    category: 'auth',
    transient: false,
    rootCause:
      'The model is gated on the Hugging Face Hub: the token is missing, or its account has not been granted access on the model page.',
    remedies: ['escalate'],
    prevention:
      "Request access on the model's page with the account whose token the job uses, and check the token at start-up.",
  },
  {
    id: 'huggingface.invalid_token',
    when: {
      message:
        /Authorization header is correct, but the token seems invalid|Invalid credentials in Authorization header/i,
    },
    category: 'auth',
    transient: false,
    rootCause: "The Hugging Face token sent is not valid: revoked, mistyped, or another service's.",
    remedies: ['escalate'],
    prevention: 'Keep HF_TOKEN in the secret store and check it with `whoami` at start-up.',
  },
  {
    id: 'ollama.model_manifest_missing',
    when: { message: /pull model manifest: file does not exist/i },
    category: 'api_failure',
    transient: false,
    rootCause: 'The model name or tag is not in the Ollama library (mistyped, or never published).',
    remedies: ['switch_model', 'escalate'],
    prevention:
      'Pull the models a job uses when the host is provisioned, by names checked against the library.',
  },
  {
    id: 'azure_openai.content_filter',
    when: [
      { codes: ['content_filter'] },
      {
        message:
          /The response was filtered due to the prompt triggering Azure OpenAI.s content management policy/i,
      },
    ],
    category: 'code_generation',
    transient: false,
    rootCause:
      "Azure OpenAI's content filter blocked the prompt (or the answer): the same prompt is filtered again.",
    remedies: ['escalate', 'switch_model'],
    prevention:
      'Review the prompts that trigger the filter, or request adjusted filtering for the deployment.',
  },
  {
    id: 'vector.collection_missing',
    when: {
      message:
        /Collection [`'"]?[\w.-]+[`'"]? (?:doesn't|does not) exist|\bCollection [\w.-]+ not found\b/i,
    },
    category: 'database_query',
    transient: false,
    rootCause:
      'The vector store has no collection (index) of that name: it was never created in this instance, or the name differs.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Create collections in a setup step before jobs write or query them.',
  },
  {
    id: 'gemini.safety_blocked',
    when: {
      message:
        /quick accessor (?:only works (?:when the response contains a valid `Part`|for a single candidate)|requires the response to contain a valid `Part`), but none (?:was|were) returned|Invalid operation: The `response\.|Blocked by safety settings/i,
    },
    category: 'code_generation',
    transient: false,
    rootCause:
      "Gemini's safety filter blocked the prompt or the answer, so the response has no content parts to read.",
    remedies: ['reduce_context', 'switch_model', 'escalate'],
    prevention:
      'Read finish_reason and prompt_feedback before the text, and set safety_settings for what the job legitimately generates.',
  },
  {
    id: 'azure_openai.deployment_not_found',
    when: {
      message:
        /\bDeploymentNotFound\b|The API deployment for (?:this|the) resource does not exist/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'Azure OpenAI has no deployment of that name on the resource: the configured deployment name (not the model name) is wrong, or points at another resource.',
    remedies: ['escalate', 'switch_model'],
    prevention:
      'Configure the deployment name exactly as created on the resource, and check it with one call at start-up.',
  },
  {
    id: 'azure_openai.rate_limit',
    when: {
      message:
        /have exceeded (?:the )?(?:call|token) rate limit (?:of|for) your current (?:OpenAI |AIServices )?S0 pricing tier/i,
    },
    priority: 1,
    category: 'rate_limit',
    transient: true,
    rootCause:
      "The Azure OpenAI deployment's tokens-per-minute or requests-per-minute allowance is used up for now; it says how long to wait.",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'reduce_batch_size'],
    prevention:
      "Raise the deployment's TPM quota, and keep parallel calls and batch sizes within it.",
  },
]);
