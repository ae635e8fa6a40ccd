import { defineRules } from './rule.js';

const RESOLVE_PREVENTION =
  'Install from a committed lockfile (npm ci / --frozen-lockfile) and build in CI on every change, so a missing import fails before deploy.';
const LOCK_PREVENTION =
  'Commit the lockfile together with package.json changes and run the same package-manager version locally and in CI.';

/** Compiler, bundler and package-manager errors. */
export const BUILD_RULES = defineRules([
  {
    id: 'tsc.cannot_find_module',
    when: [
      { codes: ['TS2307'] },
      { message: /Cannot find module '[^']*' or its corresponding type declarations?/i },
    ],
    category: 'build',
    transient: false,
    rootCause:
      'TypeScript cannot resolve an import: the path is wrong, the package is not installed, or it ships no type declarations.',
    remedies: ['clear_cache', 'escalate'],
    prevention: RESOLVE_PREVENTION,
  },
  {
    id: 'tsc.type_error',
    when: {
      codes: [
        'TS2322',
        'TS2345',
        'TS2339',
        'TS2551',
        'TS2554',
        'TS2741',
        'TS2304',
        'TS7006',
        'TS18047',
        'TS18048',
        'TS2532',
      ],
    },
    category: 'build',
    transient: false,
    rootCause:
      "The code does not type-check: a value's type does not fit where it is used; the same input will fail the same way.",
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Run tsc --noEmit in CI before building, and type-check generated code before it is committed.',
  },
  {
    id: 'esbuild.could_not_resolve',
    when: { message: /\[ERROR\] Could not resolve "|^Could not resolve "[^"]+"/m },
    category: 'build',
    transient: false,
    rootCause:
      'esbuild cannot find an imported module: not installed, wrong path, or a Node built-in imported for the browser.',
    remedies: ['clear_cache', 'escalate'],
    prevention: RESOLVE_PREVENTION,
  },
  {
    id: 'webpack.module_not_found',
    when: { message: /module not found: (?:Error: )?Can(?:'|no)t resolve/i },
    category: 'build',
    transient: false,
    rootCause:
      'webpack (or Next.js) cannot resolve an import: missing dependency, wrong path or case, or a server-only module in client code.',
    remedies: ['clear_cache', 'escalate'],
    prevention: RESOLVE_PREVENTION,
  },
  {
    id: 'vite.rollup_failed_to_resolve',
    when: { message: /Rollup failed to resolve import/ },
    category: 'build',
    transient: false,
    rootCause:
      "Vite's production build (Rollup) cannot resolve an import that the dev server tolerated or that is not installed.",
    remedies: ['clear_cache', 'escalate'],
    prevention: RESOLVE_PREVENTION,
  },
  {
    id: 'node.module_not_found',
    when: [
      { codes: ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'] },
      {
        message:
          /Cannot find package '[^']+' imported from|^(?:Error: )?Cannot find module '[^']+'\s*(?:$|\n)/m,
      },
    ],
    category: 'build',
    transient: false,
    rootCause:
      'Node cannot load a module at run time: a dependency is missing from the deployed node_modules, or a build output path is wrong.',
    remedies: ['clear_cache', 'rollback_deployment', 'escalate'],
    prevention:
      'List runtime imports under dependencies (not devDependencies) and smoke-test the built artefact before release.',
  },
  {
    id: 'npm.eresolve',
    when: [
      { codes: ['ERESOLVE'] },
      // The report without its code line, as people paste it.
      { message: /Could not resolve dependency:?\s*(?:npm (?:ERR!|error)\s*)?peer /i },
    ],
    category: 'build',
    transient: false,
    rootCause: 'npm cannot find a dependency tree that satisfies every peerDependency range.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Align peer versions when upgrading, use overrides for known-good combinations, and commit the lockfile.',
  },
  {
    id: 'npm.e404',
    when: [{ codes: ['E404'] }, { message: /404 Not Found - GET https?:\/\/\S+registry/ }],
    category: 'build',
    transient: false,
    rootCause:
      'The package or version is not in the registry, or it is private and the registry token/scope configuration is missing.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention:
      'Configure scoped registries and tokens in .npmrc for CI, and check package names when adding them.',
  },
  {
    id: 'npm.eintegrity',
    when: { codes: ['EINTEGRITY'] },
    category: 'build',
    transient: true,
    rootCause:
      'A downloaded tarball does not match the lockfile checksum: a corrupted cache, a proxy rewriting content, or a republished package.',
    remedies: ['clear_cache', 'retry'],
    prevention:
      'Clear the npm cache in CI when it is restored from elsewhere, and avoid proxies that alter tarballs.',
  },
  {
    id: 'npm.etarget',
    when: [{ codes: ['ETARGET'] }, { message: /No matching version found for/ }],
    category: 'build',
    transient: false,
    rootCause:
      'No published version satisfies the requested range (a typo, or a version not yet published or unpublished).',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Pin versions that exist and update the lockfile with the change.',
  },
  {
    id: 'npm.ci_lockfile_out_of_sync',
    when: {
      message:
        /`npm ci` can only install packages when your package\.json and\s+(?:npm (?:ERR!|error)\s+)?package-lock\.json/,
    },
    category: 'build',
    transient: false,
    rootCause:
      'package.json was changed without updating package-lock.json, so npm ci refuses to install.',
    remedies: ['escalate', 'fail_fast'],
    prevention: LOCK_PREVENTION,
  },
  {
    id: 'pnpm.outdated_lockfile',
    when: [
      { codes: ['ERR_PNPM_OUTDATED_LOCKFILE'] },
      {
        message: /Cannot install with "frozen-lockfile" because pnpm-lock\.yaml is not up to date/,
      },
    ],
    category: 'build',
    transient: false,
    rootCause:
      'pnpm-lock.yaml does not match package.json, and frozen-lockfile (the CI default) forbids updating it.',
    remedies: ['escalate', 'fail_fast'],
    prevention: LOCK_PREVENTION,
  },
  {
    id: 'yarn.lockfile_would_be_modified',
    when: [
      { codes: ['YN0028'] },
      {
        message:
          /The lockfile would have been modified by this install|Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`/,
      },
    ],
    category: 'build',
    transient: false,
    rootCause:
      'yarn.lock does not match package.json and the install runs immutable (--immutable / --frozen-lockfile).',
    remedies: ['escalate', 'fail_fast'],
    prevention: LOCK_PREVENTION,
  },
  {
    id: 'node.require_esm',
    when: [
      { codes: ['ERR_REQUIRE_ESM'] },
      { message: /require\(\) of ES Modules? .*not supported|Must use import to load ES Module/i },
    ],
    category: 'build',
    transient: false,
    rootCause:
      'CommonJS code require()s a package that ships only ES modules (often after a major upgrade).',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Pin the last CommonJS major of the dependency, or move the code to ESM / dynamic import().',
  },
  {
    id: 'pip.no_matching_distribution',
    when: {
      message:
        /No matching distribution found for|Could not find a version that satisfies the requirement/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'No release of the package fits the pinned version, the Python version or the platform, or the name is misspelt.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Pin versions that exist for the Python version and platform the job runs on.',
  },
  {
    id: 'git.push_rejected',
    when: {
      message: /\[rejected\][^\n]*\((?:non-fast-forward|fetch first)\)|failed to push some refs/i,
    },
    category: 'other',
    transient: false,
    rootCause: 'The remote branch has commits the local branch lacks, so the push would drop them.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Fetch and rebase (or merge) before pushing from automation.',
  },
  {
    id: 'maven.unresolved_dependencies',
    when: { message: /Could not resolve dependencies for project\b/ },
    category: 'build',
    transient: false,
    rootCause:
      'Maven cannot find an artifact in any configured repository: a wrong version, a missing repository, or credentials for a private one.',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention: 'Declare the repositories the build needs and pin versions that exist there.',
  },
  {
    id: 'package.integrity_mismatch',
    when: { message: /Integrity check failed for|\bEINTEGRITY\b|integrity checksum failed/i },
    category: 'build',
    transient: false,
    rootCause:
      "A downloaded package does not match the lockfile's checksum: a stale lockfile or cache, or a registry that serves other bytes.",
    remedies: ['clear_cache', 'escalate'],
    prevention:
      'Regenerate the lockfile against the registry the build uses, and clean the package cache.',
  },
  {
    id: 'rust.linker_not_found',
    when: { message: /\blinker `[^`]+` not found\b/ },
    category: 'build',
    transient: false,
    rootCause: 'The C toolchain the Rust linker needs is not installed on the build machine.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Install build-essential (or the platform toolchain) in the build image.',
  },
  {
    id: 'npm.enotempty',
    when: [
      { codes: ['ENOTEMPTY'], message: /\brename\b/ },
      { message: /\bENOTEMPTY: directory not empty, rename\b/ },
    ],
    category: 'build',
    transient: false,
    rootCause:
      'npm could not move a package folder over one a previous, interrupted install left behind.',
    remedies: ['escalate', 'clear_cache'],
    prevention:
      'Install from a clean node_modules (npm ci) and never run two installs in one folder at once.',
  },
  {
    id: 'python.module_not_found',
    when: [
      { names: ['ModuleNotFoundError'] },
      { message: /\bModuleNotFoundError: No module named ['"]/ },
    ],
    category: 'build',
    transient: false,
    rootCause:
      'The Python package is not installed in the environment the job runs in, or the module path is wrong.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Install from a pinned requirements file in the same image or virtualenv that runs the job.',
  },
  {
    id: 'go.checksum_mismatch',
    when: {
      message:
        /\bverifying\b[^\n]{0,200}\bchecksum mismatch\b|SECURITY ERROR\s+This download does NOT match/,
    },
    category: 'build',
    transient: false,
    rootCause:
      "A Go module's download does not match go.sum or the checksum database: the tag was moved or re-published, or the module cache is corrupt.",
    // A person decides whether the module or go.sum is wrong (3 of 3 in collection 6); a
    // registered cache-clearing fixer comes next.
    remedies: ['escalate', 'clear_cache'],
    prevention:
      'Never move a published tag; pin module versions, and clear a corrupt module cache (go clean -modcache) rather than editing go.sum by hand.',
  },
  {
    id: 'git_lfs.quota_exceeded',
    when: { message: /This repository is over its data quota|LFS bandwidth (?:quota|limit)/i },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "The Git LFS storage or bandwidth quota of the repository's owner is used up, so LFS objects cannot be downloaded until more is bought or the month turns.",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Cache LFS objects in CI, fetch only the files a job needs, and buy data packs before the quota runs out.',
  },
  {
    id: 'node.abi_mismatch',
    when: {
      message: /was compiled against a different Node\.js version using\s+NODE_MODULE_VERSION/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'A native module in node_modules was built for another Node.js version than the one running it (Node upgraded, or node_modules copied from another machine).',
    remedies: ['clear_cache', 'escalate'],
    prevention:
      'Install dependencies on the platform and Node version that runs them (npm ci in the image), and rebuild after upgrading Node.',
  },
  {
    id: 'esbuild.wrong_platform',
    when: {
      message:
        /You installed esbuild (?:for|on) another platform than the one you're currently using/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      "node_modules holds esbuild's binary for another OS or CPU (installed on the host, then mounted or copied into a container).",
    remedies: ['clear_cache', 'escalate'],
    prevention:
      'Install dependencies inside the image or machine that runs them, and keep node_modules out of bind mounts.',
  },
  {
    id: 'docker.buildkit_required',
    when: { message: /the --mount option requires BuildKit/i },
    category: 'build',
    transient: false,
    rootCause:
      'The Dockerfile uses BuildKit features (RUN --mount) and the build ran with the legacy builder.',
    remedies: ['escalate'],
    prevention: 'Build with BuildKit (DOCKER_BUILDKIT=1 or docker buildx).',
  },
]);
