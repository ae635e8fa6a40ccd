import { defineRules } from './rule.js';

/**
 * The tools that build and ship code: git hosts, CI services and their actions, registries of
 * credentials and packages, cluster clients, database migration and dump tools. Most of these
 * stop the same way on every run until someone changes a setting, a version or a permission; a
 * git host's 5xx is the one that passes.
 */
export const DELIVERY_TOOL_RULES = defineRules([
  {
    id: 'git.remote_http_5xx',
    when: {
      message:
        /unable to access '[^']+': The requested URL returned error: 5\d\d|^remote: Internal Server Error|Failed to download action '[^']+'\. Error Response status code does not indicate success: 5\d\d/m,
    },
    category: 'api_failure',
    transient: true,
    rootCause: 'The git host answered a clone, fetch or download with a 5xx during an outage.',
    remedies: ['retry_with_backoff', 'retry'],
    prevention: "Retry git operations with backoff in CI and watch the host's status page.",
  },
  {
    id: 'pg_dump.server_version_mismatch',
    when: { message: /aborting because of server version mismatch/i },
    category: 'database_connection',
    transient: false,
    rootCause:
      'pg_dump (or pg_dumpall) is an older major version than the PostgreSQL server, and refuses to dump it.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      "Install client tools of the server's major version (or newer) wherever backups run, and upgrade them with the server.",
  },
  {
    id: 'docker.credential_helper_missing',
    when: {
      message:
        /error (?:getting|listing) credentials - err: exec: "docker-credential-[\w-]+": executable file not found/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'Docker config names a credential helper (credsStore, often "desktop") that is not installed on this machine.',
    remedies: ['escalate'],
    prevention:
      'Remove or fix credsStore in ~/.docker/config.json on machines without Docker Desktop, or install the helper.',
  },
  {
    id: 'aws.security_token_expired',
    when: [
      { message: /The security token included in the request is expired/i },
      // The SDK's code alone would pick auth.token_expired, which expects a refresh to pass.
      {
        codes: ['ExpiredToken', 'ExpiredTokenException'],
        message: /The security token included in the request is expired/i,
      },
    ],
    category: 'auth',
    transient: false,
    rootCause:
      'The temporary AWS credentials (an assumed-role or session token) expired before the work finished.',
    remedies: ['refresh_credentials', 'increase_timeout', 'escalate'],
    prevention:
      'Give long deploys a role session that outlasts them, or credentials the SDK refreshes itself.',
  },
  {
    id: 'codecov.tokenless_rate_limit',
    when: {
      message: /Rate limit reached\. Please upload with the Codecov repository upload token/i,
    },
    category: 'rate_limit',
    transient: false,
    rootCause: 'Codecov throttles tokenless uploads, shared by every public repository on GitHub.',
    remedies: ['escalate', 'wait_for_rate_limit'],
    prevention: 'Upload with the repository upload token (a CI secret) instead of tokenless.',
  },
  {
    id: 'k8s.exec_plugin_v1alpha1_removed',
    when: {
      message:
        /exec plugin: invalid apiVersion "client\.authentication\.k8s\.io\/v1alpha1"|plugin returned version client\.authentication\.k8s\.io\/v1alpha1/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The kubeconfig (or its credential plugin) uses client.authentication.k8s.io/v1alpha1, which kubectl 1.24 and later removed.',
    remedies: ['escalate'],
    prevention:
      "Regenerate the kubeconfig with the cloud CLI's current version, which writes v1beta1 or v1.",
  },
  {
    id: 'k8s.exec_plugin_api_version_unknown',
    when: {
      message: /exec plugin: invalid apiVersion "client\.authentication\.k8s\.io\/v1(?:beta1)?"/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The tool was built with a client-go too old to know the exec credential version the kubeconfig asks for.',
    remedies: ['escalate'],
    prevention:
      'Upgrade cluster tools (kubectl add-ons, helm, kubectx) along with the kubeconfig they read.',
  },
  {
    id: 'java.pkix_path_building_failed',
    when: {
      message:
        /PKIX path building failed|unable to find valid certification path to requested target/i,
    },
    category: 'network',
    transient: false,
    rootCause:
      "The JVM does not trust the server's certificate chain, usually one re-signed by a TLS-intercepting proxy.",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      "Import the proxy's or private CA into the JVM truststore (cacerts) the tool runs with.",
  },
  {
    id: 'cloudflare.node_builtin_unavailable',
    when: { message: /No such module "\s?node:[\w/]+"/ },
    category: 'deployment',
    transient: false,
    rootCause:
      'The Worker imports a Node.js built-in (node:buffer, node:stream) but runs without Node.js compatibility.',
    remedies: ['escalate'],
    prevention:
      'Set compatibility_flags = ["nodejs_compat"] and a recent compatibility_date in wrangler.toml.',
  },
  {
    id: 'liquibase.changelog_lock_held',
    when: { message: /Could not acquire change ?log lock|Waiting for change ?log lock/i },
    category: 'orchestrator_stuck',
    transient: false,
    rootCause:
      'The DATABASECHANGELOGLOCK row is still held, mostly by an earlier run that was killed mid-migration.',
    remedies: ['escalate'],
    prevention:
      'Stop migrations gracefully; clear a stale lock with liquibase releaseLocks once no other run is active.',
  },
  {
    id: 'gradle.dependency_read_timeout',
    when: { message: /Could not (?:get resource|GET) '[^']+'[\s\S]{0,400}Read timed out/ },
    category: 'timeout',
    transient: true,
    rootCause: 'Gradle timed out reading a dependency from a Maven repository (slow or busy).',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention: 'Cache Gradle dependencies in CI and raise the HTTP timeouts for slow mirrors.',
  },
  {
    id: 'postgres.host_unresolvable',
    when: { message: /could not translate host name "[^"]+" to address/i },
    // Ties net.dns_temporary_failure (priority 1) on libpq's "Temporary failure in name resolution":
    // a container network's resolver answers so for a service name it does not know, so there it
    // means the database container is gone, not a slow resolver.
    priority: 1,
    category: 'database_connection',
    transient: false,
    rootCause:
      'The database host name does not resolve: the name is wrong, or (in Compose or Kubernetes) the database container or service is not running or not on the same network.',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention:
      'Check why the database container exited, and make the app wait for it to be healthy (depends_on condition).',
  },
  {
    id: 'flyway.checksum_mismatch',
    when: { message: /Migration checksum mismatch for migration|FlywayValidateException/ },
    category: 'database_query',
    transient: false,
    rootCause:
      'An applied migration no longer has the checksum recorded for it: its file was edited, or a Flyway upgrade computes checksums differently.',
    remedies: ['escalate'],
    prevention:
      'Never edit applied migrations; run flyway repair after an upgrade that changes checksums.',
  },
  {
    id: 'ssh.port_22_timed_out',
    when: { message: /ssh: connect to host \S+ port 22: (?:Connection|Operation) timed out/i },
    category: 'network',
    transient: false,
    rootCause: 'Outbound SSH (port 22) is blocked by a firewall or network on the way to the host.',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention:
      'Use HTTPS remotes, or SSH over port 443 (ssh.github.com) where port 22 is blocked.',
  },
  {
    id: 'gha.cache_service_rejected',
    when: {
      message:
        /Failed to (?:restore|save): Cache service responded with 4\d\d|This legacy service is shutting down/,
    },
    category: 'api_failure',
    transient: false,
    rootCause:
      'The GitHub Actions cache service rejects the calls of an outdated cache action (the legacy service was shut down).',
    remedies: ['escalate'],
    prevention: 'Keep actions/cache and actions that embed it on their current major version.',
  },
  {
    id: 'gha.input_required_not_supplied',
    when: { message: /Input required and not supplied: [\w-]+/ },
    category: 'auth',
    transient: false,
    rootCause:
      'A required action input is empty, mostly a secret that workflows run for fork pull requests do not receive.',
    remedies: ['escalate'],
    prevention:
      'Skip secret-using steps for forks, or use pull_request_target with care, and check that the secret exists.',
  },
  {
    id: 'yum.centos8_mirrorlist_gone',
    when: { message: /Cannot prepare internal mirrorlist: No URLs in mirrorlist/i },
    category: 'build',
    transient: false,
    rootCause:
      'The repository mirrorlist is empty: CentOS 8 reached end of life and its mirrors moved to vault.centos.org.',
    remedies: ['escalate'],
    prevention:
      'Move images off end-of-life distributions, or point their repositories at the vault archive.',
  },
]);
