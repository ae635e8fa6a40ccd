import { defineRules } from './rule.js';

/** Docker, Kubernetes and hosting platform (Vercel, Netlify) errors. */
export const DEPLOY_RULES = defineRules([
  {
    id: 'docker.pull_access_denied',
    when: { message: /pull access denied for/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The image name is wrong, or the repository is private and the daemon is not logged in to the registry.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention:
      'Log in to the registry in the deploy pipeline and reference images by full name and tag.',
  },
  {
    id: 'docker.pull_rate_limit',
    when: { message: /toomanyrequests: You have reached your (?:\w+ )?pull rate limit/i },
    category: 'rate_limit',
    transient: true,
    rootCause:
      "Docker Hub's anonymous or free-tier pull rate limit was reached for this IP or account.",
    remedies: ['wait_for_rate_limit', 'refresh_credentials'],
    prevention: 'Authenticate pulls, mirror base images to your own registry, and cache layers.',
  },
  {
    id: 'docker.build_failed_to_solve',
    when: { message: /failed to solve:/i },
    category: 'build',
    transient: false,
    rootCause:
      'A Dockerfile step failed during docker build (a RUN command exited non-zero, or a base image or file was missing).',
    remedies: ['clear_cache', 'escalate'],
    prevention: 'Run the same build steps outside Docker in CI first and pin base image tags.',
  },
  {
    id: 'k8s.crash_loop_backoff',
    when: [
      { codes: ['CrashLoopBackOff'] },
      { message: /Back-off restarting failed container/i },
      // The status as people retell it: "CrashLoop BackOff", "crash loop back-off".
      { message: /\bcrash ?loop ?back-?off\b/i },
    ],
    category: 'deployment',
    transient: false,
    rootCause:
      'The container keeps exiting right after start (bad config, missing env var, failing migration) and Kubernetes backs off restarting it.',
    remedies: ['rollback_deployment', 'escalate'],
    prevention:
      'Validate configuration at start-up with a clear message, and use readiness probes with progressive rollouts.',
  },
  {
    id: 'k8s.image_pull_backoff',
    when: [{ codes: ['ImagePullBackOff', 'ErrImagePull'] }, { message: /Failed to pull image/i }],
    category: 'deployment',
    transient: false,
    rootCause:
      'The node cannot pull the image: wrong name or tag, or missing imagePullSecrets for a private registry.',
    remedies: ['rollback_deployment', 'refresh_credentials', 'escalate'],
    prevention:
      'Deploy only tags the pipeline has pushed, and attach imagePullSecrets to the service account.',
  },
  {
    id: 'k8s.oom_killed',
    when: { codes: ['OOMKilled'] },
    category: 'resource',
    transient: false,
    rootCause:
      'The container used more memory than its limit and the kernel killed it (exit code 137).',
    remedies: ['increase_memory', 'reduce_batch_size', 'reduce_concurrency'],
    prevention:
      'Set memory limits from observed peaks and align --max-old-space-size with the container limit.',
  },
  {
    id: 'k8s.exceeded_quota',
    when: { message: /forbidden: exceeded quota:/i },
    category: 'resource',
    transient: false,
    rootCause:
      'The namespace ResourceQuota has no room left for the requested CPU, memory or object count.',
    remedies: ['escalate', 'reduce_concurrency'],
    prevention: 'Size requests realistically and alert when quota usage passes 80%.',
  },
  {
    id: 'k8s.insufficient_resources',
    when: {
      message:
        /\d+\/\d+ nodes are available:.*Insufficient (?:cpu|memory)|No nodes are available that match all of the following predicates::? Insufficient (?:cpu|memory)|failed to fit in any node[\s\S]*Insufficient (?:cpu|memory)/i,
    },
    category: 'resource',
    // None of 11 in the collections (10 repositories) passed by itself: requests had to shrink
    // or nodes had to be added.
    transient: false,
    rootCause: 'No node has enough free CPU or memory to schedule the pod.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention: 'Enable the cluster autoscaler and keep requests close to real usage.',
  },
  {
    id: 'vercel.build_command_failed',
    when: { message: /Command "[^"]+" exited with \d+/ },
    category: 'build',
    transient: false,
    rootCause: 'The build command on Vercel failed; the real error is earlier in the build log.',
    remedies: ['clear_cache', 'escalate'],
    prevention:
      'Run the production build in CI before deploying, with the same Node version and environment variables.',
  },
  {
    id: 'vercel.function_timeout',
    when: [
      { codes: ['FUNCTION_INVOCATION_TIMEOUT'] },
      { message: /Task timed out after [\d.]+ seconds|Sandbox\.Timedout/i },
    ],
    category: 'timeout',
    // The same work hits the same limit again (11 of 11 in the collections).
    transient: false,
    rootCause: 'The serverless function ran past its maximum duration and was stopped.',
    remedies: ['increase_timeout', 'reduce_batch_size', 'resume_from_checkpoint'],
    prevention:
      'Move long work to background jobs with checkpoints, or raise maxDuration within the plan limit.',
  },
  {
    id: 'vercel.build_timeout',
    when: [
      { codes: ['BUILD_EXCEEDED_MAXIMUM_TIME'] },
      {
        message: /did not complete within the maximum of \d+ ?min|Build exceeded maximum duration/i,
      },
    ],
    category: 'deployment',
    transient: false,
    rootCause:
      "The build step ran past the platform's 45-minute limit: too much work at build time or a cold cache.",
    remedies: ['clear_cache', 'escalate'],
    prevention: 'Cache dependencies and build outputs, and move heavy generation out of the build.',
  },
  {
    id: 'netlify.build_script_failed',
    when: { message: /Build script returned non-zero exit code/i },
    category: 'deployment',
    transient: false,
    rootCause: 'The Netlify build command failed; the real error is earlier in the deploy log.',
    remedies: ['clear_cache', 'escalate'],
    prevention:
      'Run the production build in CI before deploying, with the same Node version and environment.',
  },
  {
    id: 'docker.image_not_found',
    when: { message: /manifest for \S+ not found|manifest unknown/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The registry has no image for that name and tag (or platform): a typo, an unpublished tag, or a deleted image.',
    remedies: ['rollback_deployment', 'escalate'],
    prevention:
      'Deploy immutable digests produced by CI, and check the tag exists before rolling out.',
  },
  {
    id: 'heroku.app_crashed',
    when: { message: /\bcode=H10\b|desc="App crashed"/ },
    category: 'deployment',
    transient: false,
    rootCause:
      'The Heroku router found no running web dyno: the app crashed at boot (bad Procfile, missing config, not binding $PORT).',
    remedies: ['rollback_deployment', 'escalate'],
    prevention: 'Boot the release in a staging app first and bind to process.env.PORT.',
  },
  {
    id: 'k8s.create_container_config_error',
    when: {
      message:
        /\bCreateContainerConfig(?:Error)?\b|\bCreateContainerConf\b|\bError: ?(?:secret|configmap)s? "[^"]+" not found/,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The pod spec refers to a secret or config map (or a key in one) that does not exist in its namespace.',
    remedies: ['escalate', 'rollback_deployment'],
    prevention:
      'Create secrets and config maps before the workloads that mount them, in the same namespace.',
  },
  {
    id: 'k8s.evicted',
    when: {
      message:
        /The node was low on resource: (?:ephemeral-storage|memory)|\bReason:\s+Evicted\b|ephemeral local storage usage exceeds the total limit/,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'The kubelet evicted the pod because the node ran short of disk or memory and the pod used more than it requested.',
    remedies: ['free_disk_space', 'increase_memory', 'escalate'],
    prevention:
      'Request the ephemeral storage and memory the pod really uses, and clean scratch space as it goes.',
  },
  {
    id: 'helm.operation_in_progress',
    when: { message: /another operation \(install\/upgrade\/rollback\) is in progress/ },
    category: 'deployment',
    transient: false,
    rootCause:
      'The release is stuck in a pending state left by an interrupted install, upgrade or rollback; Helm refuses new ones until it is resolved.',
    remedies: ['escalate', 'rollback_deployment'],
    prevention:
      'Let deploys finish or time out cleanly (--atomic, --timeout) and never run two against one release.',
  },
  {
    id: 'terraform.state_lock',
    when: { message: /Error acquiring the state lock/ },
    // Its text also carries the lock table's own answer (DynamoDB's failed conditional write).
    priority: 1,
    category: 'deployment',
    transient: false,
    rootCause:
      'Another Terraform run holds the state lock, or a crashed one left it behind; force-unlock only once no run is active.',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention: 'Serialise runs per state (one pipeline at a time) and give them -lock-timeout.',
  },
  {
    id: 'github_actions.runner_shutdown',
    when: { message: /The runner has received a shutdown signal/ },
    category: 'orchestrator_failed',
    transient: true,
    rootCause:
      'The runner (or the machine under it) was stopped while the job ran: a spot reclaim, a scale-in, or a runner service restart.',
    remedies: ['retry', 'escalate'],
    prevention:
      'Use runners that are not reclaimed mid-job for long jobs, and make jobs safe to rerun.',
  },
  {
    id: 'heroku.memory_quota_exceeded',
    when: {
      message:
        /Error R1[45] \(Memory quota (?:vastly )?exceeded\)|Process running mem=\d+M\(\d+(?:\.\d+)?%\)/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      "The dyno's processes use more memory than its size allows (R14 above 100 %, R15 when Heroku kills it), so it swaps and slows down.",
    remedies: ['increase_memory', 'reduce_concurrency', 'reduce_batch_size'],
    prevention:
      'Size dynos from measured memory, bound worker concurrency (WEB_CONCURRENCY, Sidekiq threads), and look for leaks.',
  },
  {
    id: 'platform.port_not_bound',
    when: {
      message:
        /Web process failed to bind to \$PORT|Error R10 \(Boot timeout\)|failed to start and listen on the port defined (?:provided )?by the PORT|instance refused connection\. is your app listening on|The app is not listening on the expected address/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The app never listened on the port the platform gave it in $PORT (a hard-coded port, localhost only, or a crash during boot), so the platform gave up on it.',
    remedies: ['escalate', 'rollback_deployment'],
    prevention:
      'Listen on 0.0.0.0:$PORT, keep boot work short, and test the container locally with PORT set.',
  },
  {
    id: 'vercel.function_size_limit',
    when: {
      message:
        /Serverless Function (?:"[^"]+" )?(?:is [\d.]+ ?mb which )?(?:has )?exceeds? (?:the )?(?:unzipped )?maximum size|A Serverless Function has exceeded the unzipped maximum size/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      "A serverless function's bundle (code and traced dependencies) is over the platform's size limit (Vercel: 250 MB unzipped).",
    remedies: ['escalate'],
    prevention:
      'Keep large dependencies out of functions (outputFileTracingExcludes, external packages), and check bundle sizes in CI.',
  },
  {
    id: 'k8s.quota_requires_limits',
    when: { message: /is forbidden: failed quota: [^:]+: must specify (?:limits|requests)/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The namespace has a ResourceQuota on CPU or memory, so every pod must declare requests and limits, and this one does not.',
    remedies: ['escalate'],
    prevention:
      'Set resources on every container, or add a LimitRange with defaults to the namespace.',
  },
  {
    id: 'cloudformation.update_rollback_failed',
    when: { message: /is in UPDATE_ROLLBACK_FAILED state and can not be updated/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'A CloudFormation stack failed to roll back an update and accepts no change until the rollback is continued.',
    remedies: ['escalate'],
    prevention:
      'Continue the rollback (skipping the resource that failed) and fix what blocked it.',
  },
  {
    id: 'terraform.lock_checksum',
    when: {
      message:
        /doesn't match any of the checksums previously recorded in the dependency lock file|does not match any of the checksums recorded in the dependency lock file/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The provider package does not match .terraform.lock.hcl: the lock file lacks the checksums of this platform, or the cache holds another build.',
    remedies: ['clear_cache', 'escalate'],
    prevention: 'Record every platform in the lock file (terraform providers lock -platform=…).',
  },
  {
    id: 'lambda.import_module',
    when: { message: /Runtime\.ImportModuleError|Unable to import module '[^']+'/i },
    category: 'deployment',
    transient: false,
    rootCause: "The function's package lacks its handler module or a dependency of it.",
    remedies: ['escalate', 'rollback_deployment'],
    prevention:
      'Build the package with its dependencies for the Lambda runtime and check the handler path.',
  },
  {
    id: 'k8s.unauthorized',
    when: {
      message:
        /You must be logged in to the server|the server has asked for the client to provide credentials/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "The Kubernetes API server rejected the kubeconfig's credentials: an expired token or certificate, or a user the cluster no longer knows.",
    remedies: ['escalate', 'refresh_credentials'],
    prevention:
      'Use credentials that renew themselves (an exec plugin, a service account token) instead of a static token in the kubeconfig.',
  },
  {
    id: 'terraform.wait_timeout',
    when: { message: /timeout while waiting for state to become '[^']*'/i },
    category: 'timeout',
    transient: false,
    rootCause:
      'The provider gave up waiting for a resource to reach its ready state; creating it legitimately takes longer than the wait allowed.',
    remedies: ['increase_timeout', 'escalate'],
    prevention: "Set the resource's timeouts block from how long creation really takes.",
  },
  {
    id: 'heroku.slug_too_large',
    when: { message: /Compiled slug size: [\d.]+ ?MB? is too large/i },
    category: 'deployment',
    transient: false,
    rootCause:
      "The compiled slug (dependencies, build output, caches) is over Heroku's size limit.",
    remedies: ['escalate'],
    prevention:
      'Prune dev dependencies and build caches after the build, and list large files in .slugignore.',
  },
  {
    id: 'registry.version_already_published',
    when: {
      message:
        /You cannot publish over the previously published versions?|File already exists(?: \('|\. See https:\/\/pypi)|A file named "[^"]+" already exists for|This filename has already been used, use a different version|which was previously published|cannot modify pre-existing version/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The release uploads a version the registry already has (npm, PyPI); registries never accept the same version twice.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Bump the version in the release job, and skip the upload when the version is already published.',
  },
]);
