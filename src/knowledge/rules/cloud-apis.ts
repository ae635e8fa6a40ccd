import { defineRules } from './rule.js';

/**
 * What cloud and SaaS APIs answer a job's calls with (AWS, Google Cloud and Google APIs, Azure AD,
 * Stripe, Slack), beyond throttling and quotas: permissions, keys, missing resources, request
 * shapes the service refuses, and the few answers that pass with a retry.
 */
export const CLOUD_API_RULES = defineRules([
  {
    id: 'aws.not_authorized',
    when: {
      message:
        /is not authorized to perform:? [\w:*.-]+|An error occurred \(AccessDenied(?:Exception)?\)|\bAccessDenied: Access Denied|\(AuthorizationError\) when calling/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The IAM identity the job runs as has no policy allowing the action on that resource (or a bucket, key or SCP policy denies it).',
    remedies: ['escalate'],
    prevention:
      "Grant the job's role the actions it calls, scoped to its resources, and test the role with the policy simulator.",
  },
  {
    id: 'aws.invalid_access_key',
    when: {
      message:
        /\bInvalidAccessKeyId\b|The AWS Access Key Id you provided does not exist in our records/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The access key id sent does not exist: deleted or rotated, mistyped, or from another partition or endpoint (e.g. an S3-compatible store).',
    remedies: ['escalate'],
    prevention:
      'Load keys from the secret store at start-up, and rotate them with the deploy that uses them.',
  },
  {
    id: 'aws.no_region',
    when: { message: /\bNoRegionError\b|You must specify a region/ },
    category: 'other',
    transient: false,
    rootCause:
      'The AWS client was created without a region: none in the code, the environment or the profile.',
    remedies: ['escalate'],
    prevention:
      'Set AWS_REGION (or the client region) explicitly in every environment the job runs in.',
  },
  {
    id: 'aws.read_timeout',
    when: { message: /Read timeout on endpoint URL/i },
    category: 'timeout',
    transient: true,
    rootCause:
      'An AWS service accepted the request but did not answer within the client read timeout (a slow or large operation, a busy endpoint).',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention: 'Set read timeouts per operation, and let the SDK retry idempotent calls.',
  },
  {
    id: 's3.internal_error',
    when: {
      message: /<Code>InternalError<\/Code>|We encountered an internal error\. Please try again/,
    },
    category: 'api_failure',
    transient: true,
    rootCause:
      'S3 (or an S3-compatible store) failed the request on its side; a retry normally succeeds.',
    remedies: ['retry_with_backoff'],
    prevention: "Keep the SDK's retries on for S3 calls, and make uploads resumable.",
  },
  {
    id: 's3.request_timeout',
    when: {
      message:
        /Your socket connection to the server was not read from or written to within the timeout period/i,
    },
    category: 'timeout',
    transient: false,
    rootCause:
      'S3 waited for the rest of an upload that never came: the client announced more bytes (Content-Length) than it sent, or stalled between parts.',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention: 'Let the SDK compute lengths, and stream uploads without pauses between parts.',
  },
  {
    id: 's3.no_such_bucket',
    when: { message: /\bNoSuchBucket\b|The specified bucket does not exist/ },
    category: 'api_failure',
    transient: false,
    rootCause:
      'The bucket named does not exist (in this account, region or endpoint): a typo, or never created.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Create buckets in infrastructure code and configure their names from it.',
  },
  {
    id: 's3.no_such_key',
    when: { message: /\bNoSuchKey\b|The specified key does not exist/ },
    category: 'api_failure',
    transient: false,
    rootCause:
      'The object the job reads is not in the bucket: a wrong key or prefix, or it was deleted.',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Build object keys in one place, and check that inputs exist before a job is queued.',
  },
  {
    id: 's3.entity_too_small',
    when: {
      message: /\bEntityTooSmall\b|Your proposed upload is smaller than the minimum allowed size/,
    },
    category: 'other',
    transient: false,
    rootCause: 'A multipart upload has a part other than the last below the 5 MB minimum.',
    remedies: ['escalate'],
    prevention: 'Buffer parts to at least 5 MB before uploading each.',
  },
  {
    id: 's3.bad_digest',
    when: { message: /\bBadDigest\b|The Content-MD5 you specified did not match what we received/ },
    category: 'other',
    transient: false,
    rootCause:
      'The Content-MD5 sent does not match the body: computed over other bytes (an encoding, a stream read twice) than were uploaded.',
    remedies: ['escalate'],
    prevention: 'Compute checksums over the exact bytes sent, or let the SDK compute them.',
  },
  {
    id: 's3.too_many_buckets',
    when: { message: /\bTooManyBuckets\b|You have attempted to create more buckets than allowed/ },
    category: 'quota_exhausted',
    transient: false,
    rootCause: 'The AWS account has reached its bucket limit.',
    remedies: ['escalate'],
    prevention: 'Reuse buckets with prefixes per tenant or run, and delete unused ones.',
  },
  {
    id: 'lambda.code_storage_exceeded',
    when: { message: /\bCodeStorageExceededException\b|Code storage limit exceeded/ },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "The account's Lambda code storage (75 GB by default) is full of old function versions and layers.",
    remedies: ['escalate'],
    prevention: 'Prune old function versions and layer versions on every deploy.',
  },
  {
    id: 'lambda.runtime_deprecated',
    when: { message: /The runtime parameter of [\w.]+ is no longer supported/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The function is deployed with a Lambda runtime AWS no longer accepts for creates or updates.',
    remedies: ['escalate'],
    prevention: 'Track runtime deprecation dates and upgrade functions before them.',
  },
  {
    id: 'dynamodb.resource_not_found',
    when: { message: /Requested resource not found/ },
    category: 'api_failure',
    transient: false,
    rootCause:
      'The DynamoDB table (or index) is not there for this account and region: another region, another name, or not created yet.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Configure table names and the region together, and check the table at start-up.',
  },
  {
    id: 'dynamodb.empty_string_value',
    when: { message: /An AttributeValue may not contain an empty string/ },
    category: 'other',
    transient: false,
    rootCause:
      'An item or key holds an empty string where DynamoDB does not accept one (a key attribute).',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Drop empty values (or store null) before writing, and validate keys.',
  },
  {
    id: 'dynamodb.item_too_large',
    when: { message: /Item size has exceeded the maximum allowed size/ },
    category: 'other',
    transient: false,
    rootCause: 'The item is larger than the 400 KB DynamoDB stores per item.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Keep large attributes in S3 and store a reference in the item.',
  },
  {
    id: 'dynamodb.batch_too_large',
    when: { message: /Member must have length less than or equal to 25/ },
    category: 'other',
    transient: false,
    rootCause: 'A BatchWriteItem carries more than the 25 requests DynamoDB takes per batch.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Chunk batch writes by 25 (or use a batch writer that does).',
  },
  {
    id: 'dynamodb.provisioned_throughput',
    when: [
      { codes: ['ProvisionedThroughputExceededException'] },
      {
        message:
          /\bProvisionedThroughputExceeded(?:Exception)?\b|Throughput exceeds the current capacity of your table|The level of configured provisioned throughput for (?:the table|one or more global secondary indexes)/,
      },
    ],
    // A throttling answer, though DynamoDB sends it with status 400.
    priority: 1,
    category: 'rate_limit',
    transient: true,
    rootCause:
      'Writes or reads exceed the capacity of the DynamoDB table or index (provisioned, or what on-demand has scaled to, or one hot partition).',
    remedies: ['reduce_concurrency', 'retry_with_backoff'],
    prevention:
      'Spread keys to avoid hot partitions, and size capacity (or auto scaling) to peak load.',
  },
  {
    id: 'kinesis.shard_throughput',
    when: { message: /Rate exceeded for (?:shard|stream)\b/i },
    category: 'rate_limit',
    transient: true,
    rootCause:
      'Reads or writes exceed what one Kinesis shard serves (1 MB/s or 1,000 records in, 5 reads a second out).',
    remedies: ['reduce_concurrency', 'retry_with_backoff'],
    prevention:
      'Add shards or spread partition keys, and poll each shard no more than five times a second.',
    // Kinesis words its shard limit with DynamoDB's exception name.
    priority: 2,
  },
  {
    id: 'dynamodb.conditional_check_failed',
    when: { message: /\bConditionalCheckFailedException\b|The conditional request failed/ },
    category: 'database_query',
    transient: true,
    rootCause:
      'A conditional write lost a race: another writer changed the item since it was read (optimistic locking).',
    remedies: ['retry', 'escalate'],
    prevention: 'Re-read and retry conditional writes a bounded number of times.',
  },
  {
    id: 'firestore.contention',
    when: { message: /Too much contention on these documents/i },
    category: 'database_query',
    transient: true,
    rootCause: 'Concurrent transactions on the same Firestore documents aborted each other.',
    remedies: ['retry_with_backoff', 'reduce_concurrency'],
    prevention: 'Spread writes over documents (counters in shards), and keep transactions short.',
  },
  {
    id: 'gcp.api_not_enabled',
    when: {
      message:
        /API has not been used in project \S+ before or it is disabled|\baccessNotConfigured\b|\bSERVICE_DISABLED\b/,
    },
    category: 'api_failure',
    transient: false,
    rootCause:
      'The Google Cloud API called is not enabled in the project the credentials belong to.',
    remedies: ['escalate'],
    prevention: 'Enable the APIs a project needs in its infrastructure code, not by hand.',
  },
  {
    id: 'gcp.storage_permission',
    when: { message: /does not have storage\.[\w.]+ access/ },
    category: 'auth',
    transient: false,
    rootCause:
      'The service account lacks the Cloud Storage permission on the bucket or object it uses.',
    remedies: ['escalate'],
    prevention:
      "Grant the job's service account a storage role on its buckets in infrastructure code.",
  },
  {
    id: 'google.user_rate_limit',
    when: { message: /\buserRateLimitExceeded\b|User Rate Limit Exceeded|\brateLimitExceeded\b/ },
    category: 'rate_limit',
    transient: true,
    rootCause:
      "A Google API's per-user or per-project request rate was exceeded; it answers 403 until the window passes.",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency'],
    prevention:
      'Pace calls below the per-user limit and back off exponentially on 403 rate answers.',
  },
  {
    id: 'azure_ad.invalid_client_secret',
    when: {
      message:
        /\bAADSTS7000215\b|Invalid client secret provided|ClientSecretCredential authentication failed/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "Azure AD rejected the service principal's client secret: the secret id was used instead of its value, or the secret expired or was rotated.",
    remedies: ['escalate'],
    prevention: 'Store the secret value, track its expiry, and rotate it before it lapses.',
  },
  {
    id: 'stripe.api_key_invalid',
    when: {
      message:
        /You did not provide an API key|No API key provided|Invalid API Key provided: (?:sk|rk|pk)_/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The Stripe call carried no API key, or one Stripe does not know (unset in this environment).',
    remedies: ['escalate'],
    prevention: 'Check the Stripe key at start-up, per environment.',
  },
  {
    id: 'stripe.api_key_expired',
    when: { message: /Expired API Key provided/ },
    category: 'auth',
    transient: false,
    rootCause:
      'The Stripe API key was rolled or expired; calls with it fail until the new key is deployed.',
    remedies: ['escalate'],
    prevention:
      'Roll keys with an overlap period, and deploy the new key before the old one expires.',
  },
  {
    id: 'slack.channel_not_found',
    when: { message: /\bchannel_not_found\b|Slack channel [\w#-]+ could not be found/ },
    category: 'api_failure',
    transient: false,
    rootCause:
      'The Slack channel does not exist for this token: a wrong id or name, a private channel the app was not invited to, or another workspace.',
    remedies: ['escalate'],
    prevention: 'Configure channels by id, and invite the app to private channels it posts in.',
  },
]);
