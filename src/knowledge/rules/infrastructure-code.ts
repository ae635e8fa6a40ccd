import { defineRules } from './rule.js';

/**
 * Infrastructure as code and the deploys it drives (Terraform and its providers, Pulumi,
 * CloudFormation and CDK, Ansible, Helm, Argo CD, kubectl, hosting platforms): locks another run
 * holds, versions and platforms that do not match, and state that disagrees with the world.
 */
export const INFRASTRUCTURE_CODE_RULES = defineRules([
  {
    id: 'terraform.unsupported_core_version',
    when: { message: /Unsupported Terraform Core version/i },
    category: 'build',
    transient: false,
    rootCause: "The Terraform CLI's version is outside the configuration's required_version.",
    remedies: ['escalate'],
    prevention:
      "Pin the Terraform version in CI (setup-terraform, tfenv) to the configuration's constraint.",
  },
  {
    id: 'terraform.provider_platform_unavailable',
    when: { message: /does not have a package available for your current platform,? [\w_]+/i },
    category: 'build',
    transient: false,
    rootCause:
      'The provider version has no build for this OS and CPU (old providers lack darwin_arm64).',
    remedies: ['escalate'],
    prevention:
      'Upgrade the provider (or replace a deprecated one) to a version built for every platform that runs Terraform.',
  },
  {
    id: 'terraform.registry_unreachable',
    when: {
      message: /could not connect to registry\.terraform\.io|Failed to request discovery document/i,
    },
    category: 'network',
    transient: true,
    rootCause: 'Terraform could not reach the provider registry to resolve provider versions.',
    remedies: ['retry_with_backoff'],
    prevention:
      'Cache providers (a plugin cache or mirror) so init does not depend on the registry.',
  },
  {
    id: 'terraform.for_each_unknown',
    when: {
      message:
        /The "(?:for_each|count)" value depends on resource attributes that cannot be\s*(?:│\s*)?determined until apply/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'for_each (or count) is computed from values known only after apply, so Terraform cannot plan how many instances to make.',
    remedies: ['escalate'],
    prevention:
      'Key for_each on values known at plan time (names from variables), not on generated ids.',
  },
  {
    id: 'terraform.resource_already_exists',
    when: {
      message: /already exists - to be managed via Terraform this resource needs to be imported/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The resource exists in the cloud but not in the Terraform state (made by hand or by a lost run).',
    remedies: ['escalate'],
    prevention:
      'Import resources made outside Terraform before applying, and keep state backed up.',
  },
  {
    id: 'terraform.aws_no_credentials',
    when: {
      message:
        /no valid credential sources for Terraform AWS Provider found|No valid credential sources found for AWS Provider/i,
    },
    category: 'auth',
    transient: false,
    rootCause: 'The AWS provider found no credentials in the job (environment, profile, or role).',
    remedies: ['escalate'],
    prevention:
      'Give the job credentials explicitly (an OIDC role in CI) and check them before plan.',
  },
  {
    id: 'terraform.plugin_crashed',
    when: {
      message:
        /The plugin\.\(\*GRPCProvider\)\.\w+ request was cancelled|Stack trace from the terraform-provider-[\w.-]+ plugin/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'A Terraform provider plugin crashed mid-run, most often out of memory on a large plan.',
    remedies: ['increase_memory', 'escalate'],
    prevention: 'Split large states, lower -parallelism, and give the runner more memory.',
  },
  {
    id: 'pulumi.concurrent_update',
    when: { message: /Another update is currently in progress|\bConcurrentUpdateError\b/i },
    category: 'orchestrator_stuck',
    transient: true,
    rootCause: 'Another Pulumi update holds the stack (or a crashed one left its lock).',
    remedies: ['wait_for_rate_limit', 'retry_with_backoff', 'escalate'],
    prevention: 'Serialise updates per stack; cancel stale locks only once no update runs.',
  },
  {
    id: 'pulumi.passphrase_missing',
    when: { message: /PULUMI_CONFIG_PASSPHRASE(?:_FILE)?/ },
    category: 'auth',
    transient: false,
    rootCause:
      "The stack's secrets use the passphrase provider, and the job has no passphrase to decrypt them.",
    remedies: ['escalate'],
    prevention: 'Pass PULUMI_CONFIG_PASSPHRASE from the secret store to every job using the stack.',
  },
  {
    id: 'cloudformation.rollback_complete',
    when: { message: /is in ROLLBACK_COMPLETE state and can not be updated/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The stack failed its first creation and rolled back; such a stack can only be deleted, not updated.',
    remedies: ['escalate'],
    prevention:
      'Delete stacks in ROLLBACK_COMPLETE before redeploying, and fix what failed the creation.',
  },
  {
    id: 'cdk.not_bootstrapped',
    when: {
      message:
        /Has the environment been bootstrapped\?|SSM parameter \/cdk-bootstrap\/\w+\/version not found/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The AWS account and region have not been bootstrapped for CDK (or with another qualifier).',
    remedies: ['escalate'],
    prevention: 'Run `cdk bootstrap` for every account and region a pipeline deploys to.',
  },
  {
    id: 'ansible.python_missing',
    when: {
      message:
        /\/usr\/bin\/(?:env )?python: not found|MODULE FAILURE[\s\S]{0,80}python[^\n]*not found|\/usr\/bin\/python: No such file or directory[\s\S]{0,200}MODULE FAILURE/i,
    },
    category: 'deployment',
    transient: false,
    rootCause: 'The target host has no Python at the interpreter path Ansible uses.',
    remedies: ['escalate'],
    prevention:
      'Set ansible_python_interpreter (python3) or install Python in a raw bootstrap task.',
  },
  {
    id: 'ansible.sudo_password_missing',
    when: { message: /Missing sudo password/i },
    category: 'auth',
    transient: false,
    rootCause:
      'The play escalates with become, and no sudo password was given for a user that needs one.',
    remedies: ['escalate'],
    prevention:
      'Provide become passwords from a vault, or allow passwordless sudo for the deploy user.',
  },
  {
    id: 'ansible.ssh_unreachable',
    when: { message: /UNREACHABLE! =>[\s\S]{0,200}Failed to connect to the host via ssh/i },
    category: 'network',
    transient: false,
    rootCause:
      'Ansible cannot open SSH to the host (port closed by a firewall or security group, wrong address, or the host down).',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention: 'Open SSH to the control node and check inventory addresses before the play.',
  },
  {
    id: 'k8s.api_version_removed',
    when: { message: /no matches for kind "\w+" in version "[\w./]+"/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The manifest uses an API version the cluster no longer serves (e.g. extensions/v1beta1 Deployments).',
    remedies: ['escalate'],
    prevention: 'Move manifests to current API versions before cluster upgrades (kubent, pluto).',
  },
  {
    id: 'k8s.immutable_field',
    when: {
      message: /spec\.selector: Invalid value: [\s\S]{0,200}field is immutable|field is immutable/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The apply changes a field Kubernetes does not allow to change in place (a Deployment selector, a Job template).',
    remedies: ['escalate'],
    prevention:
      'Recreate the object (delete and apply) when such a field changes, or keep it stable.',
  },
  {
    id: 'helm.wait_timed_out',
    when: {
      message:
        /(?:UPGRADE|INSTALLATION) FAILED: timed out waiting for the condition|helm upgrade[^\n]*--wait[\s\S]*timed out waiting for the condition/i,
    },
    category: 'timeout',
    transient: false,
    rootCause:
      "Helm's --wait expired before the release's pods became ready (failing probes, image pulls, or capacity).",
    remedies: ['escalate', 'increase_timeout'],
    prevention:
      'Check why pods are not ready (kubectl describe) and make readiness match start-up time.',
  },
  {
    id: 'argocd.operation_in_progress',
    when: { message: /another operation is already in progress/i },
    category: 'orchestrator_stuck',
    transient: true,
    rootCause:
      'Argo CD is already syncing the application; a second sync is refused until the first ends.',
    remedies: ['wait_for_rate_limit', 'retry_with_backoff'],
    prevention: 'Wait for the running sync (argocd app wait) before starting another.',
  },
  {
    id: 'fly.health_check_timeout',
    when: { message: /timeout reached waiting for health checks to pass for machine/i },
    category: 'deployment',
    transient: true,
    rootCause:
      "The new machine did not pass its health checks within the deploy's wait (a slow start, or a check on the wrong port).",
    remedies: ['retry', 'increase_timeout'],
    prevention: "Give health checks a grace period above the app's start time.",
  },
  {
    id: 'vercel.deployment_limit',
    when: {
      message:
        /api-deployments-free-per-day|Resource is limited - try again (?:after )?in \d+ minutes/i,
    },
    category: 'quota_exhausted',
    transient: true,
    rootCause:
      "The Vercel plan's daily deployment quota is used up; it frees again after the stated wait.",
    remedies: ['wait_for_rate_limit', 'escalate'],
    prevention:
      'Deploy previews only for the branches that need them, or move to a plan with more deployments.',
  },
  {
    id: 'netlify.build_time_limit',
    when: { message: /Command did not finish within the time limit/i },
    category: 'orchestrator_slow',
    transient: false,
    rootCause: "The build ran past the hosting platform's build time limit.",
    remedies: ['escalate', 'increase_timeout'],
    prevention: 'Cache dependencies and build output between builds, and trim what the build does.',
  },
  {
    id: 'serverless.plugin_not_found',
    when: { message: /Serverless plugin "[^"]+" not found/i },
    category: 'build',
    transient: false,
    rootCause: 'A plugin listed in the serverless config is not installed in the project.',
    remedies: ['escalate'],
    prevention: 'Add plugins to devDependencies and install before deploying.',
  },
  {
    id: 'aws.eip_limit',
    when: { message: /\bAddressLimitExceeded\b|The maximum number of addresses has been reached/ },
    category: 'quota_exhausted',
    transient: false,
    rootCause: 'The account is at its Elastic IP address limit in the region (5 by default).',
    remedies: ['escalate'],
    prevention: 'Release unused Elastic IPs, or request a higher limit before adding NAT gateways.',
  },
  {
    id: 'postgres.role_has_dependents',
    when: { message: /role "[^"]+" cannot be dropped because some objects depend on it/i },
    category: 'database_query',
    transient: false,
    rootCause: 'The role still owns objects or holds privileges, so it cannot be dropped.',
    remedies: ['escalate'],
    prevention: 'REASSIGN OWNED and DROP OWNED before dropping a role.',
  },
  {
    id: 'azure.throttled',
    when: { message: /\bResourceRequestsThrottled\b|\bSubscriptionRequestsThrottled\b/ },
    category: 'rate_limit',
    transient: true,
    rootCause: "Azure Resource Manager throttled the subscription's requests.",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency'],
    prevention: 'Lower -parallelism of infrastructure runs and spread them over time.',
  },
]);
