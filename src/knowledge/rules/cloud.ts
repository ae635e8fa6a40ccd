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
        /\bVcpuLimitExceeded\b|You have requested more vCPU capacity than your current vCPU limit|\b(?:InstanceLimitExceeded|AddressLimitExceeded|VpcLimitExceeded)\b/,
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
        /NoCredentialsError: Unable to locate credentials|Unable to locate credentials|DefaultCredentialsError: Could not automatically determine credentials|Could not load credentials from any providers|CredentialsProviderError/i,
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
        /\bInvalid(?:Instance|Volume|Snapshot|Ami|Group|Subnet|Vpc|Address|NetworkInterface)ID(?:\.|::)NotFound\b/,
    },
    category: 'api_failure',
    transient: true,
    rootCause:
      'The EC2 API is eventually consistent: a resource just created (or named by another call) is not yet visible to the next call.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention:
      "Retry NotFound answers right after creating a resource, with backoff, or wait with the SDK's waiters.",
  },
]);
