import { defineRules } from './rule.js';

/** Language toolchains and system package managers: node-gyp, Go modules, Poetry, Cargo, apt, Bundler, Yarn. */
export const TOOLCHAIN_RULES = defineRules([
  {
    id: 'node_gyp.python_not_found',
    when: {
      message:
        /gyp ERR! find Python|Could not find any Python installation to use|Can't find Python executable "python/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'A native addon had to be compiled from source and node-gyp found no Python (or a version it cannot use) on the build machine.',
    remedies: ['escalate'],
    prevention:
      'Use a Node version with prebuilt binaries for the addon, or install Python and a compiler in the build image.',
  },
  {
    id: 'go.missing_sum_entry',
    when: {
      message:
        /missing go\.sum entry (?:for module providing package|for go\.mod file|; to add it)/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      "go.sum lacks the checksums of a module the build needs: go.mod was changed without 'go mod tidy'.",
    remedies: ['escalate'],
    prevention:
      "Run 'go mod tidy' before committing and check in CI that it leaves go.mod and go.sum unchanged.",
  },
  {
    id: 'poetry.lock_outdated',
    when: {
      message: /pyproject\.toml changed significantly since poetry\.lock was last generated/i,
    },
    category: 'build',
    transient: false,
    rootCause: 'pyproject.toml was changed without regenerating poetry.lock.',
    remedies: ['escalate'],
    prevention: 'Run poetry lock with every dependency change and check it in CI.',
  },
  {
    id: 'rust.msrv',
    when: {
      message:
        /cannot be built because it requires rustc [\d.]+ or newer, while the currently active rustc version is/i,
    },
    category: 'build',
    transient: false,
    rootCause: 'A dependency needs a newer Rust compiler than the toolchain in use.',
    remedies: ['escalate'],
    prevention:
      'Pin the toolchain in rust-toolchain.toml and let the resolver respect rust-version.',
  },
  {
    id: 'apt.hash_sum_mismatch',
    when: { message: /Hash Sum mismatch/i },
    category: 'build',
    transient: true,
    rootCause:
      'A package index or file from the mirror did not match its checksum: the mirror was mid-sync or a proxy served stale data.',
    remedies: ['retry_with_backoff', 'clear_cache'],
    prevention: 'Retry apt with a fresh index, or use a steadier mirror.',
  },
  {
    id: 'apt.release_file_missing',
    when: { message: /does not have a Release file|404\s+Not Found[^\n]{0,60}Release/i },
    category: 'build',
    transient: false,
    rootCause:
      'The distribution release is no longer on the mirror (end of life, moved to the archive) or the source line is wrong.',
    remedies: ['escalate'],
    prevention: 'Move to a supported release, or point sources at archive.debian.org for old ones.',
  },
  {
    id: 'bundler.version_mismatch',
    when: {
      message:
        /This Gemfile requires a different version of Bundler|Bundler could not find compatible versions for gem "bundler"/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'The Gemfile.lock was bundled with another major version of Bundler than the one installed.',
    remedies: ['escalate'],
    prevention: 'Install the Bundler version named in BUNDLED WITH, or update the lock file.',
  },
  {
    id: 'yarn.network_trouble',
    when: {
      message:
        /There appears to be trouble with your network connection\. Retrying|registry\.yarnpkg\.com\/\S+\.tgz: ESOCKETTIMEDOUT/i,
    },
    category: 'timeout',
    transient: true,
    rootCause:
      'Yarn could not download a package within its network timeout (a slow registry, proxy or large package).',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention: "Raise yarn's network-timeout in CI and cache the package store.",
  },
  {
    id: 'gradle.bintray_defunct',
    when: {
      message: /Could not (?:GET|HEAD|get resource) '?https?:\/\/(?:[\w-]+\.)?bintray\.com/i,
    },
    category: 'build',
    transient: false,
    rootCause: 'The build still resolves from Bintray or JCenter, which were shut down.',
    remedies: ['escalate'],
    prevention:
      "Resolve from Maven Central or the vendor's repository instead of jcenter()/bintray.",
  },
  {
    id: 'node.openssl3_legacy_hash',
    when: [
      { codes: ['ERR_OSSL_EVP_UNSUPPORTED'] },
      { message: /error:0308010C:digital envelope routines::unsupported/i },
    ],
    category: 'build',
    transient: false,
    rootCause:
      'Node 17+ ships OpenSSL 3, which rejects the md4 hash old bundlers (webpack 4, react-scripts 4) use.',
    remedies: ['escalate'],
    prevention:
      'Upgrade the bundler (webpack 5, react-scripts 5), or build on the Node version the project supports.',
  },
  {
    id: 'java.invalid_target_release',
    when: { message: /invalid target release: [\d.]+/i },
    category: 'build',
    transient: false,
    rootCause:
      'The build asks javac for a newer release (Java 17, 21) than the JDK Maven or Gradle runs on supports.',
    remedies: ['escalate'],
    prevention:
      'Pin the JDK in the build image to the release the project targets (JAVA_HOME, toolchains).',
  },
  {
    id: 'dotnet.sdk_target_unsupported',
    when: [
      { codes: ['NETSDK1045'] },
      { message: /NETSDK1045|The current \.NET SDK does not support targeting/i },
    ],
    category: 'build',
    transient: false,
    rootCause: 'The project targets a newer .NET than the installed SDK can build.',
    remedies: ['escalate'],
    prevention: 'Pin the SDK the project needs in global.json and install it in the build image.',
  },
  {
    id: 'npm.optional_native_dependency_missing',
    when: {
      message:
        /Cannot find module @rollup\/rollup-[\w-]+|npm has a bug related to optional dependencies/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      "The lockfile was made on another platform, and npm skipped the package's native optional dependency for this one (npm/cli#4828).",
    remedies: ['escalate'],
    prevention:
      "Regenerate the lockfile so it lists every platform's optional dependencies, or install them explicitly in CI.",
  },
  {
    id: 'npm.lockfile_out_of_sync',
    when: {
      message:
        /can only install packages when your package\.json and package-lock\.json (?:or npm-shrinkwrap\.json )?are in sync|Cannot perform a frozen installation because the lockfile needs updates/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'package.json changed without the lockfile being regenerated, so the strict CI install refuses to run.',
    remedies: ['escalate'],
    prevention:
      'Regenerate and commit the lockfile with every manifest change; check it in a pre-commit hook.',
  },
  {
    id: 'lockfile.format_too_new',
    when: {
      message:
        /lock file version \d+ requires `-Znext-lockfile-bump`|version of the lockfile is incompatible with this version of pnpm/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'The lockfile was written by a newer package manager (Cargo, pnpm) than the one in the build environment.',
    remedies: ['escalate'],
    prevention:
      "Pin the package manager's version in the build image to the one that writes the lockfile.",
  },
  {
    id: 'pip.externally_managed',
    when: { message: /externally-managed-environment|This environment is externally managed/i },
    category: 'build',
    transient: false,
    rootCause:
      'The system Python is marked externally managed (PEP 668, Debian 12 and later), so pip refuses a system-wide install.',
    remedies: ['escalate'],
    prevention:
      'Install into a virtual environment in the image (python -m venv), or use pipx for tools.',
  },
  {
    id: 'cra.ci_warnings_as_errors',
    when: { message: /Treating warnings as errors because process\.env\.CI = true/i },
    category: 'build',
    transient: false,
    rootCause:
      'create-react-app treats lint warnings as errors when CI=true, which CI and hosting builds set.',
    remedies: ['escalate'],
    prevention: 'Fix the warnings (or lint them in CI) so the production build never meets them.',
  },
]);
