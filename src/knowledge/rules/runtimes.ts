import { defineRules } from './rule.js';

/** Language runtimes and the native tools jobs drive: PHP, the JVM, Go, Python extensions, browsers, media tools. */
export const RUNTIME_RULES = defineRules([
  {
    id: 'php.memory_exhausted',
    when: { message: /Allowed memory size of \d+ bytes exhausted/i },
    category: 'resource',
    transient: false,
    rootCause: 'The PHP script reached its memory_limit.',
    remedies: ['increase_memory', 'reduce_batch_size', 'escalate'],
    prevention: 'Process data in chunks and set memory_limit for workers from measured use.',
  },
  {
    id: 'php.max_execution_time',
    when: { message: /Maximum execution time of \d+ seconds? exceeded/i },
    category: 'orchestrator_slow',
    transient: false,
    rootCause: 'The PHP script ran past max_execution_time.',
    remedies: ['increase_timeout', 'reduce_batch_size', 'escalate'],
    prevention: 'Run long work in a queue worker with its own time limit, in smaller steps.',
  },
  {
    id: 'java.class_version',
    when: {
      message:
        /UnsupportedClassVersionError|has been compiled by a more recent version of the Java Runtime|Unsupported class file major version \d+/i,
    },
    category: 'deployment',
    transient: false,
    rootCause: 'The code was compiled for a newer Java than the runtime that loads it.',
    remedies: ['escalate'],
    prevention:
      'Build with --release for the oldest Java you run on, or upgrade the runtime image.',
  },
  {
    id: 'go.concurrent_map_writes',
    when: { message: /fatal error: concurrent map (?:writes|read and map write)/i },
    category: 'other',
    transient: false,
    rootCause:
      'Two goroutines wrote a Go map at once without a lock (a data race the runtime aborts on).',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Guard shared maps with a mutex or use sync.Map; run tests with -race.',
  },
  {
    id: 'python.numpy_abi',
    when: {
      message:
        /numpy\.dtype size changed, may indicate binary incompatibility|A module that was compiled using NumPy 1\.x cannot be run in/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'A compiled extension was built against another NumPy ABI than the one installed (NumPy 2 against 1.x builds).',
    remedies: ['escalate'],
    prevention:
      'Pin numpy to the major version the extensions were built for, or upgrade them together.',
  },
  {
    id: 'python.protobuf_descriptors',
    when: { message: /Descriptors cannot (?:not )?be created directly/i },
    category: 'build',
    transient: false,
    rootCause:
      'Generated _pb2 code is older than the protobuf runtime installed (protobuf 4 against code from protoc < 3.19).',
    remedies: ['escalate'],
    prevention: 'Regenerate the code with a current protoc, or pin protobuf below 4 until it is.',
  },
  {
    id: 'python.msvc_required',
    when: { message: /Microsoft Visual C\+\+ 14\.0 or greater is required/i },
    category: 'build',
    transient: false,
    rootCause:
      'A package had to be compiled from source on Windows and no MSVC build tools are installed.',
    remedies: ['escalate'],
    prevention:
      'Use a Python version with prebuilt wheels for the package, or install the build tools in the image.',
  },
  {
    id: 'spacy.model_missing',
    when: { message: /\[E050\] Can't find model '[^']+'/i },
    category: 'build',
    transient: false,
    rootCause: 'The spaCy model the code loads was never downloaded into the environment.',
    remedies: ['escalate'],
    prevention: 'Install the model as a pinned dependency (its wheel) in the image.',
  },
  {
    id: 'playwright.browser_missing',
    when: {
      message:
        /browserType\.launch: Executable doesn't exist at|Looks like Playwright [^\n]{0,40}was just installed or updated|Could not find Chrom(?:e|ium) \((?:ver\.|rev\.) [\w.]+\)/i,
    },
    category: 'build',
    transient: false,
    rootCause: "Playwright's browsers were not installed for the installed Playwright version.",
    remedies: ['escalate'],
    prevention: 'Run npx playwright install (with --with-deps) in the image or CI step.',
  },
  {
    id: 'chrome.missing_shared_libraries',
    when: {
      message:
        /Failed to launch the browser process![\s\S]{0,200}(?:error while )?loading shared librar(?:y|ies)|chrome: error while loading shared libraries|Host system is missing dependencies to run browsers|Playwright Host validation warning/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The headless browser cannot start: system libraries it needs (libnss3 and others) are missing in the image.',
    remedies: ['escalate'],
    prevention:
      "Install the browser's system dependencies in the image, or use an image made for it.",
  },
  {
    id: 'chrome.root_without_sandbox',
    when: { message: /Running as root without --no-sandbox is not supported/i },
    category: 'deployment',
    transient: false,
    rootCause: 'Chrome refuses to run as root with its sandbox on, as it does in many containers.',
    remedies: ['escalate'],
    prevention:
      'Run the browser as a non-root user, or pass --no-sandbox where the container is the isolation.',
  },
  {
    id: 'imagemagick.security_policy',
    when: {
      message:
        /not allowed by the security policy [`'"]\w+|not authorized [`'][^'`\n]*' @ error\/constitute\.c/i,
    },
    category: 'other',
    transient: false,
    rootCause: "ImageMagick's policy.xml forbids the coder (PDF, PS) the command uses.",
    remedies: ['escalate'],
    prevention:
      'Allow the coder in policy.xml deliberately, or convert those formats with another tool.',
  },
  {
    id: 'ffmpeg.odd_dimensions',
    when: { message: /(?:height|width) not divisible by 2/i },
    category: 'other',
    transient: false,
    rootCause:
      'The H.264 encoder needs even frame dimensions and the input has an odd width or height.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Scale to even dimensions in the filter graph (scale=trunc(iw/2)*2:trunc(ih/2)*2).',
  },
  {
    id: 'python.wheel_build_failed',
    when: {
      message:
        /Failed building wheel for [\w.-]+|Building wheel for [\w.-]+ \([^)]*\) did not run successfully|can't find Rust compiler/i,
    },
    category: 'build',
    transient: false,
    rootCause:
      'pip found no prebuilt wheel of a package for this Python and platform, and building it from source failed (a missing compiler, Rust toolchain or system header).',
    remedies: ['escalate'],
    prevention:
      'Use a Python version and platform the package publishes wheels for, or install its build toolchain in the image.',
  },
  {
    id: 'numpy.allocation_failed',
    when: { message: /Unable to allocate (?:[\d.]+ ?[KMGTP]i?B for an )?array with shape/i },
    category: 'resource',
    transient: false,
    rootCause:
      'NumPy could not allocate an array that large: the step holds more data in memory at once than the machine (or a 32-bit process) has.',
    remedies: ['reduce_batch_size', 'increase_memory', 'escalate'],
    prevention: 'Process the data in chunks, use smaller dtypes, and size the worker for the peak.',
  },
  {
    id: 'native.invalid_elf_header',
    when: { message: /invalid ELF header/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'A native module was built on another OS or architecture (node_modules copied from a Mac or Windows host into a Linux image) and cannot be loaded.',
    remedies: ['escalate', 'rollback_deployment'],
    prevention:
      'Keep node_modules out of the build context (.dockerignore) and install dependencies inside the image.',
  },
  {
    id: 'erlang.genserver_call_timeout',
    when: {
      message:
        /exited in: GenServer\.call\([\s\S]{0,400}\*\* \(EXIT\) time out|\{timeout,\{gen_server,call/,
    },
    category: 'timeout',
    transient: false,
    rootCause:
      'A GenServer.call waited longer than its timeout (5 s by default) for the process to answer: the work behind it takes longer than the caller allows.',
    remedies: ['increase_timeout', 'escalate'],
    prevention:
      'Pass a timeout to GenServer.call that fits the work, or make long work asynchronous (cast, Task).',
  },
  {
    id: 'http_client.pool_queue_full',
    when: { message: /Exceeded configured max-open-requests value|\bcheckout_timeout\b/ },
    category: 'resource',
    transient: true,
    rootCause:
      "The HTTP client's connection pool (akka-http's host pool, hackney's) had no free connection or queue slot: more concurrent requests than it holds, or connections never returned.",
    remedies: ['reduce_concurrency', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      "Size the client's pool for the concurrency, and make sure failed requests release their connections.",
  },
  {
    id: 'sqlserver.command_timeout',
    when: {
      message:
        /Execution Timeout Expired|The timeout period elapsed prior to completion of the operation or the server is not responding/i,
    },
    category: 'timeout',
    transient: false,
    rootCause: "The SQL Server command ran past the client's CommandTimeout (30 s by default).",
    remedies: ['increase_timeout', 'reduce_batch_size', 'escalate'],
    prevention: 'Set CommandTimeout from measured query times, and index or split slow queries.',
  },
]);
