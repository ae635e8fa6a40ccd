import { defineRules } from './rule.js';

/**
 * Package managers and registries as a CI or build job meets them (apt, npm, yarn, Composer,
 * Bundler, Maven, Gradle, Cargo, Go modules, conda, GitHub's package and artifact stores): who
 * holds a lock, what a registry refuses, which system library a native build lacks.
 */
export const PACKAGE_RULES = defineRules([
  {
    id: 'apt.dpkg_lock_held',
    when: {
      message:
        /Could not get lock \/var\/lib\/dpkg\/lock(?:-frontend)?|Unable to acquire the dpkg frontend lock/i,
    },
    category: 'build',
    transient: true,
    rootCause:
      'Another apt or dpkg process holds the package lock: on a fresh VM usually unattended-upgrades, which finishes within minutes.',
    remedies: ['wait_for_rate_limit', 'retry_with_backoff', 'escalate'],
    prevention:
      'Wait for the lock (apt-get -o DPkg::Lock::Timeout=300) or disable unattended upgrades in CI images.',
  },
  {
    id: 'github.artifact_storage_quota',
    when: { message: /Artifact storage quota has been hit/i },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "The account's GitHub Actions artifact storage is full; usage is recounted every 6–12 hours, after old artifacts are deleted.",
    remedies: ['escalate'],
    prevention: 'Set retention-days on uploaded artifacts and delete old ones on a schedule.',
  },
  {
    id: 'git.no_credentials_in_ci',
    when: { message: /could not read Username for '[^']+': terminal prompts disabled/i },
    category: 'auth',
    transient: false,
    rootCause:
      'Git needed credentials for a private repository (a Go module, a submodule, a git dependency) and had none to use, with prompts disabled.',
    remedies: ['escalate'],
    prevention:
      'Give the job a token for private modules (a .netrc or `git config url.…insteadOf`) and set GOPRIVATE for them.',
  },
  {
    id: 'ruby.native_extension_failed',
    when: { message: /Failed to build gem native extension/i },
    category: 'build',
    transient: false,
    rootCause:
      "A gem's C extension did not compile: the system library or headers it links (MySQL, PostgreSQL, libxml) are missing from the machine.",
    remedies: ['escalate'],
    prevention:
      'Install the development packages the gems need (e.g. libmysqlclient-dev, libpq-dev) in the build image.',
  },
  {
    id: 'gradle.daemon_disappeared',
    when: {
      message:
        /Gradle build daemon disappeared unexpectedly|indicates that the daemon has disappeared/i,
    },
    category: 'resource',
    transient: true,
    rootCause:
      'The Gradle daemon was killed mid-build, most often by the out-of-memory killer when the JVM heaps outgrow the CI machine.',
    remedies: ['increase_memory', 'reduce_concurrency', 'retry_with_backoff'],
    prevention:
      "Cap org.gradle.jvmargs and the workers to the runner's memory, or run the daemon-less build in CI.",
  },
  {
    id: 'cargo.openssl_missing',
    when: {
      message:
        /failed to run custom build command for `openssl-sys|build\/openssl-sys-[0-9a-f]+\/build-script-main|Could not find directory of OpenSSL installation|pkg-config[^\n]*--cflags[^\n]*openssl/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'The openssl-sys crate found no OpenSSL development files (or pkg-config) on the build machine.',
    remedies: ['escalate'],
    prevention:
      "Install libssl-dev and pkg-config in the build image, or build with the crate's vendored or rustls feature.",
  },
  {
    id: 'composer.unresolvable_requirements',
    when: {
      message:
        /Your requirements could not be resolved to an installable set of packages|requires php [^\s]+ but your php version \([^)]*\) does not satisfy/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'No set of package versions fits composer.json together with the PHP version and extensions on this machine.',
    remedies: ['escalate'],
    prevention: 'Set config.platform.php to the production PHP version, and build on that version.',
  },
  {
    id: 'maven.transfer_interrupted',
    when: {
      message:
        /Could not transfer artifact \S+ from\/to [^\n]*?(?:Connection reset|timed out|Remote host terminated the handshake)/i,
    },
    category: 'network',
    transient: true,
    rootCause:
      'The download of an artifact from the Maven repository was cut off (a reset or a timeout on the way), not refused.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention:
      'Cache ~/.m2 between builds, and set the transport retry count (-Dmaven.wagon.http.retryHandler.count).',
    // The same text says the dependencies could not be resolved, which alone reads as a human's error.
    priority: 1,
  },
  {
    id: 'cargo.spurious_network_error',
    when: { message: /spurious network error \(\d+ tries? remaining\)/i },
    category: 'network',
    transient: true,
    rootCause:
      'Cargo could not download a crate or the index (a timeout, a refused connection, a 5xx from the registry) and counts down its own retries.',
    remedies: ['retry_with_backoff'],
    prevention:
      'Cache the registry and target directories between builds, and raise CARGO_NET_RETRY on flaky networks.',
  },
  {
    id: 'conda.unsatisfiable',
    when: { message: /\bUnsatisfiableError\b|Found conflicts! Looking for incompatible packages/ },
    category: 'build',
    transient: false,
    rootCause:
      'The requested conda packages cannot all be installed together for this platform and Python version.',
    remedies: ['escalate'],
    prevention: 'Pin a solved environment (conda-lock), per platform, and install from it.',
  },
  {
    id: 'yarn.engine_incompatible',
    when: { message: /The engine "node" is incompatible with this module/i },
    category: 'build',
    transient: false,
    rootCause:
      "A dependency declares a Node.js version range (engines) that the build machine's Node.js is outside of.",
    remedies: ['escalate'],
    prevention:
      "Pin the build's Node.js version (.nvmrc, engines) to what the lockfile's packages need.",
  },
  {
    id: 'npm.eneedauth',
    when: [
      { codes: ['ENEEDAUTH'] },
      { message: /\bENEEDAUTH\b|need auth This command requires you to be logged in/i },
    ],
    category: 'auth',
    transient: false,
    rootCause:
      'npm had no token for the registry it publishes to: NODE_AUTH_TOKEN or the .npmrc entry is missing in the job.',
    remedies: ['escalate'],
    prevention:
      'Write the registry token into the .npmrc of the publish job (setup-node with registry-url) and check it before publishing.',
  },
  {
    id: 'npm.eacces_global_prefix',
    when: { message: /npm (?:ERR!|error) code EACCES\b/i },
    category: 'other',
    transient: false,
    rootCause:
      'npm could not write a directory it installs into (most often the global prefix /usr/local/lib/node_modules, or a cache owned by root) as the user running it.',
    remedies: ['escalate'],
    prevention:
      'Install global tools into a user-owned prefix (npm config set prefix, or a version manager) rather than with sudo.',
  },
  {
    id: 'ghcr.write_package_denied',
    when: {
      message:
        /denied: installation not allowed to (?:Write|Create) organization package|denied: permission_denied: write_package/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "The token pushing to GitHub's container registry may not write this package: the workflow lacks `packages: write`, or the package does not grant the repository access.",
    remedies: ['escalate'],
    prevention:
      "Grant `packages: write` in the workflow and link the package to the repository in the package's settings.",
  },
]);
