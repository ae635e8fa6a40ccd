import { defineRules } from './rule.js';

/** Cloud providers' own API errors (IAM, quotas, eventual consistency), whatever service or SDK returns them. */
export const CLOUD_RULES = defineRules([
  {
    id: 'gcp.act_as_denied',
    when: {
      message:
        /iam\.serviceAccounts?\.actAs|Permission 'iam\.serviceaccounts\.actAs' denied|do not have permission to act as/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The deploying identity lacks the Service Account User role (iam.serviceAccounts.actAs) on the runtime service account.',
    remedies: ['escalate'],
    prevention:
      "Grant roles/iam.serviceAccountUser on the runtime service account to the deployer, in the project's IAM as code.",
  },
  {
    id: 'google.quota_exceeded',
    when: {
      message:
        /\b(?:quotaExceeded|dailyLimitExceeded)\b|The request cannot be completed because you have exceeded your (?:<a[^>]*>)?quota/i,
    },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "A Google API project's daily quota (YouTube Data API units, Maps, Drive…) is used up; it resets at midnight Pacific time.",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Budget quota units per call, cache responses, and request a quota increase for the project before traffic grows.',
  },
  {
    id: 'aws.service_quota_exceeded',
    when: {
      message:
        /\bVcpuLimitExceeded\b|You have requested more vCPU capacity than your current vCPU limit|\b(?:InstanceLimitExceeded|AddressLimitExceeded|VpcLimitExceeded|RulesPerSecurityGroupLimitExceeded)\b|Cannot exceed quota for \w+/,
    },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      'The AWS account reached a service quota (vCPUs, instances, addresses) in the region; waiting does not raise it.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Request quota increases ahead of growth and watch usage against quotas in Service Quotas.',
  },
  {
    id: 'cloud.credentials_not_found',
    when: {
      message:
        /NoCredentialsError: Unable to locate credentials|Unable to locate credentials|DefaultCredentialsError: Could not automatically determine credentials|Could not load credentials from any providers|CredentialsProviderError|could not find default credentials|Could not load the default credentials/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The cloud SDK found no credentials in its chain (environment, profile, instance role, workload identity) where the job runs.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Give the job an identity explicitly (an instance or workload role, or secrets in its environment) and check it at start-up.',
  },
  {
    id: 'ci.billing_blocked',
    when: {
      message:
        /The job was not started because (?:recent account payments have failed|your account is locked due to a billing issue)|spending limit needs to be increased/i,
    },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "The CI provider will not start jobs: the account's payment failed or its spending limit is reached.",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Keep a payment method and a spending limit that covers the month, with an alert before it is reached.',
  },
  {
    id: 'aws.eventual_consistency',
    when: {
      message:
        /\bInvalid(?:Instance|Volume|Snapshot|Ami|Group|Subnet|Vpc|Address|NetworkInterface)ID(?:\.|::)NotFound\b|The role defined for the function cannot be assumed by Lambda|Function not found: arn:aws:lambda:|Invalid IAM Instance Profile name/,
    },
    category: 'api_failure',
    transient: true,
    rootCause:
      'AWS APIs are eventually consistent: a resource just created (an EC2 instance, an IAM role or instance profile, the Lambda function itself) is not yet visible to the next call.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention:
      "Retry NotFound answers right after creating a resource, with backoff, or wait with the SDK's waiters.",
  },
  {
    id: 'cloud.capacity_unavailable',
    when: {
      message:
        /\bInsufficientInstanceCapacity\b|ZONE_RESOURCE_POOL_EXHAUSTED|does not have enough resources available to fulfill the request|We currently do not have sufficient [\w.]+ capacity/,
    },
    // Outranks the 503 a Google API wraps it in: the stock-out is the cause.
    priority: 1,
    category: 'resource',
    transient: true,
    rootCause:
      'The cloud zone has no capacity left for the machine type asked for (a stock-out); it comes back as other customers release machines.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention:
      'Let instances start in any of several zones or machine types, and retry a stock-out later instead of failing the deployment.',
  },
  {
    id: 'gcp.quota_exceeded',
    when: {
      message:
        /\bQuota '?[A-Z0-9_]+'? exceeded\.?\s+Limit:|Insufficient regional quota to satisfy request|The following quotas were exceeded|has insufficient quota\(s\) to execute this workflow/,
    },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      'A Google Cloud project quota (CPUs, GPUs, static addresses) is used up in the region; new projects start with some at 0, and waiting does not raise it.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Request the quota increase before the deployment needs it and watch usage against quotas.',
  },
  {
    id: 'aws.clock_skew',
    when: {
      message:
        /\bRequestTimeTooSkewed\b|The difference between the request time and the current time is too large|Signature expired: \w+ is now earlier than/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "The machine's clock is off by more than AWS allows (15 minutes), so every request signature is rejected.",
    remedies: ['escalate'],
    prevention: 'Keep the clock synchronised (NTP, chrony) on every host and container.',
  },
  {
    id: 's3.signature_mismatch',
    when: {
      message:
        /\bSignatureDoesNotMatch\b|The request signature we calculated does not match the signature you provided|Server failed to authenticate the request\. Make sure the value of Authorization header is formed correctly/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The storage service (S3 or S3-compatible, Azure Storage) computed another signature than the client: a wrong secret key, or a proxy that changed the Host header or path on the way.',
    remedies: ['escalate'],
    prevention:
      'Check the key pair, and make proxies in front of S3-compatible stores pass the original Host header.',
  },
  {
    id: 's3.acl_not_supported',
    when: { message: /\bAccessControlListNotSupported\b|The bucket does not allow ACLs/ },
    category: 'other',
    transient: false,
    rootCause:
      'The bucket enforces bucket-owner object ownership, so ACLs are disabled, and the request still sets one (an --acl flag, a canned ACL).',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Stop setting ACLs on uploads; grant access through bucket policies instead.',
  },
  {
    id: 'acme.rate_limited',
    when: {
      message:
        /urn:acme:error:rateLimited|too many (?:certificates already issued|failed authorizations recently|currently pending authorizations)|letsencrypt\.org\/docs\/rate-limits/i,
    },
    priority: 1,
    category: 'rate_limit',
    transient: true,
    rootCause:
      "Let's Encrypt's rate limits (certificates per domain, failed validations) refuse more requests for now.",
    remedies: ['wait_for_rate_limit', 'escalate'],
    prevention:
      'Keep issued certificates across redeploys (persist the ACME store) and test against the staging CA.',
  },
]);
