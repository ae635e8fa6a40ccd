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
    when: { message: /There appears to be trouble with your network connection\. Retrying/i },
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
]);
