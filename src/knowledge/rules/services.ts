import { defineRules } from './rule.js';

/** Third-party SaaS APIs a job calls: payments, email, messaging, storage and content services. */
export const SERVICE_RULES = defineRules([
  {
    id: 'stripe.webhook_signature',
    when: {
      message:
        /No signatures? found matching the expected signature|\bSignatureVerificationError\b/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "The webhook's signature was checked against a parsed or re-serialised body, or with another endpoint's signing secret.",
    remedies: ['escalate', 'fail_fast'],
    prevention: "Verify the raw request body with the endpoint's own signing secret.",
  },
  {
    id: 'stripe.api_error',
    when: { message: /StripeAPIError|Error: An unknown error occurred\s+at [^\n]*stripe/i },
    category: 'api_failure',
    transient: true,
    rootCause:
      "Stripe answered with a server-side error; Stripe's guidance is to retry with the same idempotency key.",
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
    prevention: 'Send idempotency keys and let the SDK retry server errors.',
  },
  {
    id: 'sendgrid.sender_not_verified',
    when: { message: /The from address does not match a verified Sender Identity/i },
    category: 'auth',
    transient: false,
    rootCause: 'SendGrid will only send from an address or domain verified as a Sender Identity.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Verify the sending domain (or address) in SendGrid and send only from it.',
  },
  {
    id: 'smtp.gmail_auth_rejected',
    when: {
      message:
        /5\.7\.8 Username and Password not accepted|5\.7\.9 Application-specific password required/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "Gmail's SMTP rejected the login: an account password where an app password (or OAuth) is required, or wrong credentials.",
    remedies: ['escalate', 'fail_fast'],
    prevention: "Use an app password or OAuth for SMTP, kept in the job's secrets.",
  },
  {
    id: 'twilio.trial_unverified_number',
    when: {
      message:
        /Trial accounts cannot send messages to unverified numbers|\b21608\b[^\n]{0,40}unverified/i,
    },
    category: 'auth',
    transient: false,
    rootCause: 'A Twilio trial account may only message numbers verified on it.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Upgrade the account or verify the test numbers before sending.',
  },
  {
    id: 'notion.rate_limited',
    when: { message: /You have been rate limited\. Please try again in a few minutes/i },
    category: 'rate_limit',
    transient: true,
    rootCause: "Notion's API throttled the integration (about three requests a second on average).",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'retry_with_backoff'],
    prevention: 'Queue Notion calls under three a second and honour Retry-After.',
  },
  {
    id: 'elevenlabs.quota_exceeded',
    when: { message: /This request exceeds your quota\. You have \d+ characters remaining/i },
    category: 'quota_exhausted',
    transient: false,
    rootCause: "The ElevenLabs account's character quota for the period is used up.",
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Watch character usage against the plan and top up before it runs out.',
  },
  {
    id: 'google_maps.over_query_limit',
    when: {
      message: /You have exceeded your daily request quota for this API|\bOVER_QUERY_LIMIT\b/i,
    },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      'A Google Maps Platform daily quota is used up, or the project has no billing account.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Attach a billing account, set quotas deliberately and cache geocoding results.',
  },
  {
    id: 's3.wrong_region_endpoint',
    when: {
      message:
        /PermanentRedirect[^\n]{0,40}The bucket you are attempting to access must be addressed using the specified endpoint|The bucket you are attempting to access must be addressed using the specified endpoint/i,
    },
    category: 'deployment',
    transient: false,
    rootCause: "The S3 client is configured for another region than the bucket's.",
    remedies: ['escalate'],
    prevention: "Configure the client with the bucket's region.",
  },
  {
    id: 'gcs.object_mutation_rate',
    when: {
      message:
        /The total number of changes to the object \S+ exceeds the rate limit|exceeds the rate limit\. Please reduce the rate of create, update, and delete requests/i,
    },
    category: 'rate_limit',
    transient: true,
    rootCause: 'Cloud Storage allows about one write a second to the same object name.',
    remedies: ['retry_with_backoff', 'reduce_concurrency'],
    prevention: 'Write distinct object names, or batch updates to one object.',
  },
  {
    id: 'azure.storage_permission_mismatch',
    when: { message: /\bAuthorizationPermissionMismatch\b/i },
    category: 'auth',
    transient: false,
    rootCause:
      'The Azure identity lacks a data-plane role (Storage Blob Data Reader/Contributor) on the storage account.',
    remedies: ['escalate'],
    prevention:
      'Assign the Storage Blob Data role to the identity, not only an Owner or Contributor role.',
  },
  {
    id: 'aws.ses_unverified_identity',
    when: { message: /Email address is not verified\. The following identities failed the check/i },
    category: 'auth',
    transient: false,
    rootCause:
      'Amazon SES is in its sandbox (or the sender is unverified): it only sends from and to verified identities.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Verify the sending domain and request production access for SES.',
  },
  {
    id: 'google.insufficient_scopes',
    when: {
      message: /Request had insufficient authentication scopes|ACCESS_TOKEN_SCOPE_INSUFFICIENT/i,
    },
    category: 'auth',
    transient: false,
    rootCause: 'The OAuth token was granted without a scope the API call needs.',
    remedies: ['escalate', 'refresh_credentials'],
    prevention:
      'Request every scope the job uses at consent time and re-authorise after adding one.',
  },
  {
    id: 'gemini.location_unsupported',
    when: { message: /User location is not supported for the API use/i },
    category: 'auth',
    transient: false,
    rootCause: "Gemini's API is not offered in the region the request comes from.",
    remedies: ['escalate', 'switch_model'],
    prevention:
      'Call from a supported region (or through Vertex AI), or fall back to another model.',
  },
  {
    id: 'billing.payment_required',
    when: {
      message:
        /\b402 (?:Payment Required|Insufficient Balance)|Insufficient Balance|Error code: 402\b/i,
    },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      'The provider refuses paid calls: the prepaid balance is used up or the billing account has no funds.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Top up or attach billing before the balance runs out, with an alert at a threshold.',
  },
  {
    id: 'github.token_permission',
    when: {
      message:
        /Resource not accessible by integration|Permission to \S+ denied to github-actions\[bot\]/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "The GitHub token (a workflow's GITHUB_TOKEN, an app installation) lacks the permission the call needs: workflow tokens are read-only unless granted more.",
    remedies: ['escalate'],
    prevention:
      'Declare the permissions the workflow needs (permissions: contents: write, pull-requests: write…) or give the app them.',
  },
  {
    id: 'github.graphql_execution_timeout',
    when: { message: /Something went wrong while executing your query/i },
    category: 'timeout',
    transient: false,
    rootCause:
      "GitHub's GraphQL API stopped the query at its execution time limit: pages too large or nested connections too deep.",
    remedies: ['reduce_batch_size', 'retry_with_backoff', 'escalate'],
    prevention: 'Ask for smaller pages (first: 20–50) and fewer nested connections per query.',
  },
  {
    id: 'slack.missing_scope',
    when: { message: /\bmissing_scope\b/ },
    category: 'auth',
    transient: false,
    rootCause:
      "The Slack token lacks an OAuth scope the method needs (the answer's `needed` field names it).",
    remedies: ['escalate'],
    prevention:
      "Add the scope to the Slack app, reinstall it, and check the token's scopes at start-up.",
  },
  {
    id: 'slack.not_in_channel',
    when: { message: /\bnot_in_channel\b/ },
    category: 'auth',
    transient: false,
    rootCause: 'The bot is not a member of the channel it posts to.',
    remedies: ['escalate'],
    prevention: 'Invite the bot to the channel (or use chat:write.public) before jobs post there.',
  },
  {
    id: 'stripe.lock_timeout',
    when: {
      message:
        /\block_timeout\b|This object cannot be accessed right now because another API request or Stripe process is currently accessing it/i,
    },
    category: 'rate_limit',
    transient: true,
    rootCause:
      'Stripe briefly locks an object while another request or its own processing touches it; concurrent requests on one object collide.',
    remedies: ['retry_with_backoff', 'reduce_concurrency'],
    prevention: 'Serialise writes to one Stripe object and retry lock timeouts with backoff.',
  },
  {
    id: 'smtp.daily_sending_limit',
    // Amazon SES says it as a 454 throttling answer; its per-second rate is smtp.sending_rate_exceeded.
    when: {
      message:
        /5\.4\.5 Daily user sending (?:quota|limit) exceeded|454 Throttling failure: Daily message quota exceeded|has exceeded its 24-hour sending limit/i,
    },
    category: 'rate_limit',
    transient: true,
    rootCause:
      "The mail account's daily sending limit (Gmail's, for one) is used up; it resets within a day.",
    remedies: ['wait_for_rate_limit', 'escalate'],
    prevention: 'Send bulk mail through a provider made for it, and spread sends over the day.',
  },
  {
    id: 'sendgrid.credits_exceeded',
    when: { message: /Maximum credits exceeded|You have reached your credit limit/i },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "The SendGrid account's plan credits are used up; sends fail until they renew or the plan is upgraded.",
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Watch credit usage against the plan and upgrade before it runs out.',
  },
]);
