import { defineRules } from './rule.js';

/**
 * What background jobs of AI, media and data pipelines meet in the tools they call: LLM and
 * embedding APIs refusing a request as shaped, mail relays throttling a bulk send, scrapers
 * throttled by their target, image and HTTP libraries hitting their own limits, and job runners
 * stopping an actor that outran its time limit.
 */
export const JOB_PIPELINE_RULES = defineRules([
  {
    id: 'dramatiq.time_limit_exceeded',
    when: { message: /Time limit exceeded\. Raising exception in worker thread/ },
    category: 'timeout',
    transient: false,
    rootCause:
      "The actor ran past Dramatiq's time limit, usually blocked in a network call without its own timeout, which the limit cannot interrupt until the call returns.",
    remedies: ['increase_timeout', 'escalate'],
    prevention:
      "Give every HTTP and socket call in an actor its own timeout, and set time_limit from the actor's measured duration.",
  },
  {
    id: 'openai.embedding_input_invalid',
    when: {
      message: /'\$\.input' is invalid\.|is not valid under any of the given schemas - 'input'/,
    },
    category: 'other',
    transient: false,
    rootCause: 'An embeddings batch holds an empty or blank chunk, which the endpoint rejects.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Drop empty and blank chunks before embedding.',
  },
  {
    id: 'openai.upload_size_limit',
    when: { message: /Maximum content size limit \(\d+\) exceeded/ },
    category: 'api_failure',
    transient: false,
    rootCause:
      'The uploaded file (audio for transcription, as a rule) is over the 25 MB request size limit of the endpoint.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Compress or split audio into chunks under the limit before uploading.',
  },
  {
    id: 'openai.api_key_missing',
    when: { message: /The api_key client option must be set either by passing api_key/ },
    category: 'auth',
    transient: false,
    rootCause: 'The OpenAI client got no API key: none was passed and OPENAI_API_KEY is unset.',
    remedies: ['escalate', 'fail_fast'],
    prevention: "Set OPENAI_API_KEY in the worker's environment and check it at start-up.",
  },
  {
    id: 'azure_openai.too_many_inputs',
    when: { message: /Too many inputs\. The max number of inputs is \d+/ },
    category: 'api_failure',
    transient: false,
    rootCause:
      'One embeddings request carries more inputs than the Azure OpenAI deployment accepts per call.',
    remedies: ['reduce_batch_size', 'escalate'],
    prevention: "Cap the embedder's batch size at the deployment's documented maximum of inputs.",
  },
  {
    id: 'openrouter.free_models_per_day',
    when: [
      { message: /Rate limit exceeded: free-models-per-day/ },
      // OpenRouter types it rate_limit_error, the code Anthropic's per-minute limit has too.
      { codes: ['rate_limit_error'], message: /Rate limit exceeded: free-models-per-day/ },
    ],
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "OpenRouter's daily allowance of requests to free models is used up; it resets the next day or with purchased credits.",
    remedies: ['escalate', 'switch_model'],
    prevention: 'Buy credits to lift the daily cap, or route bulk jobs to a paid model.',
  },
  {
    id: 'smtp.sending_rate_exceeded',
    when: {
      message:
        /Throttling failure: Maximum sending rate exceeded|too many requests per time unit|4\.7\.1 Error: too much mail from/i,
    },
    category: 'rate_limit',
    transient: true,
    rootCause:
      'Mail goes out faster than the relay (Amazon SES, a Postfix limit) accepts per second, so it defers the excess.',
    remedies: ['reduce_concurrency', 'wait_for_rate_limit', 'retry_with_backoff'],
    prevention:
      "Cap the sender's rate (a pool's rateLimit) below the relay's published sending rate.",
  },
  {
    id: 'nodemailer.connection_timeout',
    when: [
      { message: /Error: Connection timeout\s+at SMTPConnection\./ },
      // The code is ETIMEDOUT, which alone reads as a passing network timeout.
      { codes: ['ETIMEDOUT'], message: /nodemailer\/lib\/smtp-connection\/[\s\S]*command: 'CONN'/ },
      // Meteor's email package sends through nodemailer and words the same timeout.
      { message: /Error: Connection timeout[\s\S]{0,300}_syncSendMail/ },
    ],
    category: 'network',
    transient: false,
    rootCause:
      'The SMTP server never answered the connection: the host or its provider blocks outbound mail ports (25, 465, 587).',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Check that the host allows outbound SMTP on the chosen port, or use a relay the host allows.',
  },
  {
    id: 'crawler.target_rate_limited',
    when: {
      message:
        /Gave up retrying <[A-Z]+ [^>]+> \(failed \d+ times\): 429\b|Request blocked - received 429 status code/,
    },
    category: 'rate_limit',
    transient: true,
    rootCause:
      'The crawled site throttles the crawler with 429 answers: it requests pages faster than the site allows.',
    remedies: ['reduce_concurrency', 'wait_for_rate_limit', 'retry_with_backoff'],
    prevention:
      'Add a download delay and lower concurrency per domain, and let the throttle back off on 429.',
  },
  {
    id: 'urllib3.connection_pool_full',
    when: { message: /Connection pool is full, discarding connection/ },
    category: 'resource',
    transient: true,
    rootCause:
      'More threads share one HTTP session than its connection pool holds (pool_maxsize), so surplus connections are opened and thrown away.',
    remedies: ['reduce_concurrency', 'escalate'],
    prevention: "Size the HTTP adapter's pool_maxsize to the number of threads that share it.",
  },
  {
    id: 'sharp.pixel_limit',
    when: { message: /Input image exceeds pixel limit/ },
    category: 'resource',
    transient: false,
    rootCause:
      "The image has more pixels than sharp's limitInputPixels guard (about 268 megapixels by default) lets it decode.",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Set limitInputPixels to what the workers can decode, and reject oversized uploads before processing.',
  },
]);
