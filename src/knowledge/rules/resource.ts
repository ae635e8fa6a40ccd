import { defineRules } from './rule.js';

/** Exhaustion of local machine resources: disk, file descriptors, memory, ports. */
export const RESOURCE_RULES = defineRules([
  {
    id: 'fs.no_space_left',
    when: [
      { codes: ['ENOSPC'], message: /no space left on device/i },
      {
        message:
          /no space left on device|\{:?error,\s*:?enospc\}|There is not enough space on the disk/i,
      },
    ],
    category: 'resource',
    transient: false,
    rootCause: 'The disk (or the Docker/tmp volume) is full.',
    remedies: ['free_disk_space', 'clear_cache', 'escalate'],
    prevention: 'Prune images, logs and build artefacts on a schedule and alert at 80% disk use.',
  },
  {
    id: 'fs.inotify_watch_limit',
    when: [
      { message: /System limit for number of file watchers reached/i },
      // fs.watch reports a full inotify table as ENOSPC on the watch call.
      { message: /\bwatch (?:\S+ )?ENOSPC\b|ENOSPC\b.*syscall: 'watch'/ },
    ],
    category: 'resource',
    transient: false,
    rootCause:
      'The inotify watch limit (fs.inotify.max_user_watches) is used up; ENOSPC here is not about disk space.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Raise fs.inotify.max_user_watches, or turn off file watching in CI and production.',
  },
  {
    id: 'fs.too_many_open_files',
    when: [{ codes: ['EMFILE', 'ENFILE'] }, { message: /too many open files|\bemfile\b/i }],
    category: 'resource',
    transient: true,
    rootCause:
      'The process hit its open-file limit (ulimit -n): too many files or sockets at once, or descriptors leak.',
    // Raising the limit fixed 13 of 20 in the collections (20 repositories); fewer files at
    // once comes next, and is what the healer does itself when no fixer raises the limit.
    remedies: ['raise_file_descriptor_limit', 'reduce_concurrency', 'retry_with_backoff'],
    prevention:
      'Bound parallel file and socket operations, close handles in finally blocks, and raise the limit for servers.',
  },
  {
    id: 'node.heap_out_of_memory',
    when: {
      message:
        /JavaScript heap out of memory|ERR_WORKER_OUT_OF_MEMORY|Worker terminated due to reaching memory limit|Reached heap limit Allocation failed|<--- Last few GCs --->|Mark-sweep [\d.]+ \([\d.]+\) -> [\d.]+ \([\d.]+\) MB[^\n]{0,120}(?:allocation failure|scavenge might not succeed)/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'The V8 heap reached its limit: the job holds too much data at once, or memory leaks.',
    remedies: ['increase_memory', 'reduce_batch_size', 'resume_from_checkpoint'],
    prevention:
      'Stream or paginate large data, and set --max-old-space-size from the container memory.',
  },
  {
    id: 'os.out_of_memory',
    when: [{ codes: ['ENOMEM'] }, { message: /Cannot allocate memory/i }],
    category: 'resource',
    transient: true,
    rootCause:
      'The operating system could not allocate memory (often when spawning a child process).',
    remedies: ['reduce_concurrency', 'increase_memory', 'retry_with_backoff'],
    prevention: 'Limit concurrent child processes and leave memory headroom on the host.',
  },
  {
    id: 'process.killed',
    when: {
      message:
        /\b(?:exit(?:ed with)? code|return code|Docker Container):? 137\b|return code Negsignal\.SIGKILL|\bsignal:? SIGKILL\b|\bwith signal "?SIGKILL|\b(?:terminated|killed) (?:due to|by) signal 9\b|\bwas sent SIGKILL\b|exited with '?signal 9 \(SIGKILL\)|\breturn code -9\b|\bsignal=-9\b|Container killed due to memory usage|Out of memory: Killed process \d+|CalledProcessError\(-9\b|\berrno 137\b|\bExit status 137\b|returned a non-zero code: 137\b/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'The process was killed with SIGKILL (exit 137), almost always by the out-of-memory killer.',
    remedies: ['increase_memory', 'reduce_batch_size', 'reduce_concurrency'],
    prevention: 'Measure peak memory and size the container and heap limits to it.',
  },
  {
    id: 'net.address_in_use',
    when: [
      { codes: ['EADDRINUSE'] },
      { message: /\baddress already in use\b|\bport is already allocated\b/i },
    ],
    category: 'resource',
    // Another process holds the port until someone stops it (5 of 5 in the collections).
    transient: false,
    rootCause:
      'Another process (often the previous instance, still shutting down) already listens on the port.',
    remedies: ['escalate', 'restart_job', 'retry_with_backoff'],
    prevention: 'Shut servers down gracefully and give each worker its own port or port 0.',
  },
  {
    id: 'cuda.out_of_memory',
    // TensorFlow says it as a ResourceExhaustedError: "OOM when allocating tensor with shape…".
    when: {
      message:
        /CUDA out of memory|CUDA error: out of memory|OutOfMemoryError: CUDA|OOM when allocating tensor/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'The GPU has less free memory than the step asks for: the batch or the model is too large for it.',
    remedies: ['reduce_batch_size', 'increase_memory', 'reduce_concurrency'],
    prevention: 'Size batches to the GPU, and run one model per GPU unless they fit together.',
  },
  {
    id: 'jvm.native_thread_limit',
    when: {
      message:
        /unable to create (?:new )?native thread|Failed to start the native thread for java\.lang\.Thread/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'The JVM could not start another thread: the process or container hit its thread (pids) limit or ran out of memory for thread stacks.',
    remedies: ['increase_memory', 'reduce_concurrency', 'escalate'],
    prevention:
      'Bound thread pools, raise the pids and nproc limits of the container, and size its memory for the threads it runs.',
  },
  {
    id: 'compiler.killed',
    when: {
      message:
        /Killed signal terminated program (?:cc1plus|cc1|rustc|ld)|internal compiler error: Killed \(program cc1plus\)/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'The compiler was killed by the out-of-memory killer: too many parallel compile jobs for the memory of the build machine.',
    remedies: ['reduce_concurrency', 'increase_memory', 'escalate'],
    prevention:
      'Limit parallel compile jobs (make -j, CARGO_BUILD_JOBS) to what the memory allows, or build on a larger machine.',
  },
  {
    id: 'fs.read_only',
    when: {
      message:
        /\[Errno 30\] Read-only file system|EROFS: read-only file system|Read-only file system @ \w+|cannot create directory [^\n]{1,200}: Read-only file system/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The job writes where the platform mounts the file system read-only (serverless code directories, read-only containers).',
    remedies: ['escalate'],
    prevention: 'Write only under /tmp or a mounted volume, and point caches there.',
  },
  {
    id: 'nvenc.session_limit',
    when: {
      message:
        /OpenEncodeSessionEx failed: out of memory \(10\)|nvEncOpenEncodeSessionEx[^\n]{0,120}returned error 10/i,
    },
    category: 'resource',
    transient: true,
    rootCause:
      'The GPU refused another NVENC encoder session: consumer GPUs allow only a few at once.',
    remedies: ['reduce_concurrency', 'retry_with_backoff'],
    prevention: 'Cap concurrent encodes per GPU at its session limit.',
  },
]);
