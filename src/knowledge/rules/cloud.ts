import { defineRules } from './rule.js';

/** Cloud providers' IAM and quota errors (Google Cloud), whatever service or SDK returns them. */
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
]);
