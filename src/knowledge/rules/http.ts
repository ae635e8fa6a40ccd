import { defineRules } from './rule.js';

/** Google's wording for a per-minute (or per-second) quota of one API. */
const GOOGLE_PER_MINUTE_QUOTA =
  /Quota exceeded for quota (?:metric|group) '[^']+' and limit '[^']+ per (?:minute|second|100 seconds)|Insufficient tokens for quota '[^']+'/i;

/**
 * Generic HTTP status rules. They match on status alone, so any provider-specific rule that also
 * matches (same status plus a code or text) is more specific and wins.
 */
export const HTTP_RULES = defineRules([
  {
    id: 'http.too_many_requests',
    when: { statuses: [429] },
    category: 'rate_limit',
    transient: true,
    rootCause: 'The upstream is throttling us: too many requests in its current window.',
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'retry_with_backoff'],
    prevention: 'Throttle client-side below the published limit and honour Retry-After.',
  },
  {
    id: 'http.service_unavailable',
    when: [
      // 529 is the overload status some providers (Anthropic) answer with.
      { statuses: [503, 529] },
      {
        message:
          /\bService (?:Temporarily )?Unavailable\b|temporarily unable to service your request|No server is available to handle this request/i,
      },
    ],
    category: 'api_failure',
    transient: true,
    rootCause:
      'The upstream is temporarily unable to serve: overloaded, deploying, or in maintenance.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker', 'wait_for_rate_limit'],
    prevention: 'Retry with jittered backoff and a circuit breaker per upstream.',
  },
  {
    id: 'http.gateway_error',
    when: [
      { statuses: [502, 504] },
      {
        message:
          /\bBad Gateway\b|\bGateway Time-?out\b|invalid response (?:was received )?from (?:the |an )?upstream server|did not receive a timely response from the upstream server/i,
      },
    ],
    category: 'api_failure',
    transient: true,
    rootCause: 'A proxy or gateway in front of the upstream got no valid or timely answer from it.',
    remedies: ['retry_with_backoff', 'increase_timeout', 'reduce_batch_size'],
    prevention: 'Keep requests short enough for the gateway timeout; split large requests.',
  },
  {
    id: 'http.internal_server_error',
    when: { statuses: [500] },
    category: 'api_failure',
    transient: true,
    rootCause: 'The upstream failed while handling the request.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention:
      'Retry a bounded number of times; report repeatable 500s to the provider with request ids.',
  },
  {
    id: 'http.unauthorized',
    when: { statuses: [401] },
    category: 'auth',
    transient: false,
    rootCause: 'The request carried no credentials or invalid ones.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention: 'Refresh tokens before they expire and check credentials at start-up.',
  },
  {
    id: 'http.forbidden',
    when: { statuses: [403] },
    category: 'auth',
    transient: false,
    rootCause: 'The credentials are valid but lack permission for this resource.',
    remedies: ['escalate', 'refresh_credentials'],
    prevention: 'Grant the needed scopes to the service account and test them at deploy time.',
  },
  {
    id: 'http.not_found',
    when: { statuses: [404] },
    category: 'api_failure',
    transient: false,
    rootCause: 'The URL or resource does not exist upstream.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Validate ids and endpoint URLs before enqueueing work.',
  },
  {
    id: 'http.bad_request',
    when: { statuses: [400, 422] },
    keyedByStatement: true,
    category: 'api_failure',
    transient: false,
    rootCause:
      'The upstream rejected the request as malformed or invalid; sending it again unchanged will fail again.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Validate request bodies against the API schema before sending.',
  },
  {
    id: 'http.payload_too_large',
    when: [
      { statuses: [413] },
      {
        message:
          /\bPayloadTooLargeError\b|\brequest entity too large\b|client intended to send too large body/i,
      },
    ],
    category: 'api_failure',
    transient: false,
    rootCause: "The request body exceeds the upstream's size limit.",
    remedies: ['reduce_batch_size', 'reduce_context'],
    prevention: 'Chunk uploads and batches below the documented size limit.',
  },
  {
    id: 'http.request_timeout',
    when: { statuses: [408] },
    category: 'timeout',
    transient: true,
    rootCause: 'The server timed out waiting for the request to arrive.',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention: 'Send request bodies promptly; avoid slow streaming uploads through proxies.',
  },
  {
    id: 'github.rate_limit',
    when: {
      message:
        /API rate limit (?:already )?exceeded for|exceeded a secondary rate limit|You have reached GitHub hour limit|\bApiLimitExceedException\b/i,
    },
    category: 'rate_limit',
    transient: true,
    rootCause:
      'The GitHub API quota of this token, app installation or IP address is used up until the reset time.',
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'escalate'],
    prevention:
      'Authenticate every request, use conditional requests and caching, and watch X-RateLimit-Remaining.',
  },
  {
    id: 'github.bad_credentials',
    when: { message: /\bBad credentials\b/i },
    category: 'auth',
    transient: false,
    rootCause:
      'GitHub rejected the token: it is wrong, expired, revoked, or lacks SSO authorisation.',
    remedies: ['escalate', 'refresh_credentials'],
    prevention:
      'Store the token as a secret with an owner, and alert before fine-grained tokens expire.',
  },
  {
    id: 'aws.slow_down',
    when: [
      { codes: ['SlowDown'] },
      { message: /\bSlowDown\b|\b503 Slow Down\b|Please reduce your request rate/ },
    ],
    // A throttling answer, though S3 sends it with status 503.
    priority: 1,
    category: 'rate_limit',
    transient: true,
    rootCause: 'S3 throttles requests to one prefix above its per-prefix request rate.',
    remedies: ['reduce_concurrency', 'retry_with_backoff'],
    prevention: 'Spread keys over more prefixes and let the SDK retry with backoff.',
  },
  {
    id: 'aws.throttling',
    when: [
      {
        codes: [
          'ThrottlingException',
          'Throttling',
          'TooManyRequestsException',
          'RequestLimitExceeded',
        ],
      },
      {
        message:
          /\bThrottling(?:Exception)?\b[^\n]{0,20}\bRate exceeded\b|<Code>Throttling<\/Code>|\b(?:Throttling|TooManyRequests)Exception\b|\bRate exceeded \(Aws::|\bError Code: Throttling\b|Your request has been throttled by EC2|\(Throttling\) when calling/i,
      },
    ],
    // A throttling answer, though AWS query APIs send it with status 400.
    priority: 1,
    category: 'rate_limit',
    transient: true,
    rootCause: 'An AWS API throttles the account: too many calls per second to it.',
    remedies: ['retry_with_backoff', 'reduce_concurrency'],
    prevention: "Use the SDK's adaptive retry mode and spread calls over time.",
  },
  {
    id: 'http.cors_blocked',
    when: {
      message:
        /has been blocked by CORS policy|Cross-Origin Request Blocked|No 'Access-Control-Allow-Origin' header/i,
    },
    category: 'network',
    transient: false,
    rootCause:
      "The server's answer does not allow the page's origin (no or a wrong Access-Control-Allow-Origin), so the browser withholds it.",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Send the allowed origins from the server, and call the API server-side where a browser is not needed.',
  },
  {
    id: 'payments.card_declined',
    when: [
      { codes: ['card_declined'] },
      { names: ['CardError'] },
      { message: /\bYour card was declined\b|\bcard_declined\b/i },
    ],
    category: 'other',
    transient: false,
    rootCause:
      "The card issuer declined the charge: the customer's card, not the request, has to change.",
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Ask the customer for another payment method; do not retry a declined card automatically.',
  },
  {
    id: 'google.backend_error',
    when: {
      message:
        /['"]?reason['"]?\s*:\s*['"]backendError['"]|\bBackend Error\b|googleapi: Error 5\d\d: Backend Error/,
    },
    category: 'api_failure',
    transient: true,
    rootCause:
      "A Google API's backend failed to serve the request (a 500 or 503 'backendError'); Google asks clients to retry with backoff.",
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
    prevention: 'Retry with exponential backoff and make the calls idempotent.',
  },
  {
    id: 'shopify.rate_limit',
    when: { message: /Exceeded \d+ calls per second for api client/i },
    category: 'rate_limit',
    transient: true,
    rootCause:
      "Shopify's leaky bucket for the app's API client is empty: more calls per second than the plan allows.",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'retry_with_backoff'],
    prevention:
      'Throttle calls per store below the bucket rate, read X-Shopify-Shop-Api-Call-Limit, and honour Retry-After.',
  },
  {
    id: 'slack.rate_limited',
    when: {
      message: /["']error["']\s*:\s*["']ratelimited["']|API Call failed due to rate limiting/i,
    },
    category: 'rate_limit',
    transient: true,
    rootCause: "Slack's Web API throttled a method over its tier's calls per minute.",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'retry_with_backoff'],
    prevention:
      'Keep each method under its tier, queue messages per channel, and honour Retry-After.',
  },
  {
    id: 'google.per_minute_quota',
    when: [
      { message: GOOGLE_PER_MINUTE_QUOTA },
      // Google's RPC status RESOURCE_EXHAUSTED rides along; the quota line says which limit it is.
      { codes: ['RESOURCE_EXHAUSTED'], message: GOOGLE_PER_MINUTE_QUOTA },
    ],
    category: 'rate_limit',
    transient: true,
    rootCause:
      "A Google API's per-minute quota for the project or user (Sheets reads, Drive calls) is used up until the minute turns.",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'retry_with_backoff'],
    prevention:
      'Batch reads, cache results, and keep calls per minute under the quota with a client-side limiter.',
  },
  {
    id: 'proxy.auth_required',
    when: [
      { statuses: [407] },
      {
        message:
          /tunneling socket could not be established, statusCode=407|407 Proxy Authentication Required/i,
      },
    ],
    category: 'auth',
    transient: false,
    rootCause:
      'An HTTP proxy between the job and the internet requires credentials the client did not send.',
    remedies: ['escalate'],
    prevention:
      "Put proxy credentials in HTTPS_PROXY (or the tool's proxy setting) of the job, and exempt internal hosts with NO_PROXY.",
  },
  {
    id: 'stripe.connection_error',
    when: {
      message:
        /An error occurred with our connection to Stripe|Unexpected error communicating (?:when trying to connect to|with) Stripe|\bStripe::APIConnectionError\b/i,
    },
    category: 'network',
    transient: true,
    rootCause:
      "The Stripe client could not reach Stripe or lost the connection mid-request; Stripe's SDKs treat it as retryable.",
    remedies: ['retry_with_backoff', 'reconnect'],
    prevention:
      "Enable the SDK's automatic retries with idempotency keys so a retried payment is never charged twice.",
  },
  {
    id: 'twilio.invalid_phone_number',
    when: {
      message: /The '(?:To|From)' number [^\n]{0,40} is not a valid phone number|\(21211\)/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The phone number given to Twilio is not a valid E.164 number (or a test number in live mode).',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Validate and normalise numbers to E.164 when they are entered, and keep test numbers out of live mode.',
  },
  {
    id: 'nginx.upstream_timeout',
    when: {
      message:
        /upstream timed out \(110: [^)]*\) while (?:reading response header from|connecting to) upstream/i,
    },
    category: 'timeout',
    transient: true,
    rootCause:
      "nginx gave up waiting for the application behind it (proxy_read_timeout, 60 s by default): the upstream was slow or overloaded, or the request's work takes too long.",
    remedies: ['retry_with_backoff', 'increase_timeout', 'escalate'],
    prevention:
      'Move slow work out of the request, or raise proxy_read_timeout for the routes that need it.',
  },
  {
    id: 'urllib3.read_timeout',
    when: {
      message:
        /ReadTimeoutError\(["']?HTTPS?ConnectionPool\(host=[^)]*\): Read timed out|urllib3\.exceptions\.ReadTimeoutError|HTTPS?ConnectionPool\(host=[^)]*\): Read timed(?: out|$)/m,
    },
    category: 'timeout',
    transient: true,
    rootCause:
      'A Python HTTP client (requests, pip) got no data from the server within its read timeout: a slow or overloaded server or network.',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention:
      "Set read timeouts above the server's p99 and retry idempotent requests with backoff (pip: --timeout).",
  },
]);
