import { defineRules } from './rule.js';

/**
 * A worker process and what runs it: language runtimes failing the same way on every run (module
 * systems, event loops, recursion, fork safety, dependency clashes) and the supervisors that give
 * up on it (systemd, pm2, supervisord, Kubernetes probes). A rerun rarely helps.
 */
export const PROCESS_RULES = defineRules([
  {
    id: 'systemd.start_limit_hit',
    when: { message: /Start request repeated too quickly|Failed with result 'start-limit-hit'/i },
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      'systemd stopped restarting the unit: it failed again and again within StartLimitIntervalSec.',
    remedies: ['escalate'],
    prevention:
      'Fix what makes the service exit at start (its journal says), and give Restart= a delay.',
  },
  {
    id: 'systemd.start_timeout',
    when: { message: /start operation timed out\. Terminating|Failed with result 'timeout'/i },
    category: 'timeout',
    transient: true,
    rootCause: 'The service did not report ready within TimeoutStartSec, so systemd killed it.',
    remedies: ['increase_timeout', 'retry'],
    prevention:
      'Raise TimeoutStartSec for slow starts, or make the service signal readiness sooner.',
  },
  {
    id: 'systemd.exec_failed',
    when: { message: /status=203\/EXEC|Failed at step EXEC spawning/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'systemd could not execute ExecStart: the path is wrong, not executable, or its interpreter line is broken.',
    remedies: ['escalate'],
    prevention: 'Use absolute, executable paths in ExecStart and test the unit after deploying.',
  },
  {
    id: 'pm2.unstable_restarts',
    when: { message: /had too many unstable restarts \(\d+\)\. Stopped/i },
    category: 'orchestrator_failed',
    transient: false,
    rootCause: 'pm2 gave up on the app: it crashed right after starting, again and again.',
    remedies: ['escalate'],
    prevention:
      'Fix the start-up crash (pm2 logs show it), and set min_uptime and a restart delay.',
  },
  {
    id: 'supervisord.exited_too_quickly',
    when: {
      message:
        /Exited too quickly \(process log may have details\)|entered FATAL state, too many start retries too quickly/i,
    },
    category: 'orchestrator_failed',
    transient: false,
    rootCause: 'supervisord gave up on the program: it exited within startsecs on every try.',
    remedies: ['escalate'],
    prevention:
      "Fix the program's start-up (its log says why), and check its command and environment.",
  },
  {
    id: 'k8s.liveness_probe_failed',
    when: { message: /Liveness probe failed:/i },
    category: 'orchestrator_failed',
    transient: true,
    rootCause:
      'The container did not answer its liveness probe in time (busy, blocked or slow to start), so the kubelet restarts it.',
    remedies: ['increase_timeout', 'retry'],
    prevention:
      "Give the probe a timeout and threshold above the app's pauses, and a startup probe for slow starts.",
  },
  {
    id: 'node.esm_in_commonjs',
    when: { message: /Cannot use import statement outside a module/ },
    category: 'build',
    transient: false,
    rootCause:
      'ES module syntax (import) is loaded as CommonJS: the package is not marked as a module, or a dependency ships ESM to a CommonJS build.',
    remedies: ['escalate'],
    prevention:
      'Set "type" in package.json (or .mjs/.cjs) to what the code is, and build dependencies for it.',
  },
  {
    id: 'node.commonjs_globals_in_esm',
    when: {
      message: /(?:__dirname|__filename|require|module|exports) is not defined in ES module scope/,
    },
    category: 'build',
    transient: false,
    rootCause:
      'Code written for CommonJS (__dirname, require) runs as an ES module, where those globals do not exist.',
    remedies: ['escalate'],
    prevention:
      'Use import.meta.url (or createRequire) in ES modules, or mark the file as CommonJS (.cjs).',
  },
  {
    id: 'node.unhandled_rejection',
    when: {
      message:
        /This error originated either by throwing inside of an async function without a catch block/,
    },
    category: 'other',
    transient: false,
    rootCause:
      'A promise was rejected with nothing handling it, and Node ends the process (the default since Node 15).',
    remedies: ['escalate'],
    prevention:
      'Await or catch every promise, and add a process-wide unhandledRejection handler that logs.',
  },
  {
    id: 'python.asyncio_different_loop',
    when: { message: /attached to a different loop/ },
    category: 'other',
    transient: false,
    rootCause:
      'An asyncio object (a future, a client, a lock) made on one event loop is used on another (a loop per task or per thread).',
    remedies: ['escalate'],
    prevention: 'Create async clients inside the loop that uses them, once per loop.',
  },
  {
    id: 'python.event_loop_closed',
    when: { message: /RuntimeError: Event loop is closed|\bEvent loop is closed\b/ },
    category: 'other',
    transient: false,
    rootCause:
      'A transport or client is closed (or used) after its event loop was closed, often by asyncio.run ending first.',
    remedies: ['escalate'],
    prevention:
      'Close async clients inside the loop before it ends (async with, or an explicit aclose).',
  },
  {
    id: 'python.multiprocessing_main_guard',
    when: {
      message:
        /An attempt has been made to start a new process before the\s+current process has finished its bootstrapping phase/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      "With the spawn start method (Windows, macOS), the module starts processes at import time without an `if __name__ == '__main__':` guard.",
    remedies: ['escalate'],
    prevention: "Start processes only under `if __name__ == '__main__':`.",
  },
  {
    id: 'python.circular_import',
    when: {
      message: /\(most likely due to a circular import\)|partially initialized module '[\w.]+'/,
    },
    category: 'other',
    transient: false,
    rootCause:
      'Two modules import each other at load time, so one is used before it finished loading.',
    remedies: ['escalate'],
    prevention:
      'Move the shared code into a third module, or import inside the function that needs it.',
  },
  {
    id: 'python.submit_after_shutdown',
    when: { message: /cannot schedule new futures after (?:interpreter )?shutdown/i },
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      'Work was submitted to an executor while the interpreter (or the executor) was shutting down.',
    remedies: ['escalate'],
    prevention:
      'Keep the main thread alive until background work finishes, and stop submitting on shutdown.',
  },
  {
    id: 'runtime.stack_overflow',
    when: {
      message:
        /fatal error: stack overflow|goroutine stack exceeds \d+-byte limit|RecursionError: maximum recursion depth exceeded|Maximum call stack size exceeded|java\.lang\.StackOverflowError|has overflowed its stack/,
    },
    category: 'other',
    transient: false,
    rootCause:
      'Unbounded (or too deep) recursion exhausted the stack; the same input overflows it again.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Bound the recursion (or make it iterative) and test with the deepest inputs seen.',
  },
  {
    id: 'go.deadlock',
    when: { message: /all goroutines are asleep - deadlock!/ },
    category: 'other',
    transient: false,
    rootCause:
      'Every goroutine is blocked (on a channel or lock nothing will release), so the Go runtime aborts.',
    remedies: ['escalate'],
    prevention:
      'Close channels when producers finish, and test concurrent code with the race detector.',
  },
  {
    id: 'go.nil_map',
    when: { message: /assignment to entry in nil map/ },
    category: 'other',
    transient: false,
    rootCause:
      'The code writes to a map that was declared but never made (make), which panics in Go.',
    remedies: ['escalate'],
    prevention:
      'Initialise maps where their structs are built, and test the paths that write to them.',
  },
  {
    id: 'rust.nested_runtime',
    when: { message: /Cannot start a runtime from within a runtime/ },
    category: 'other',
    transient: false,
    rootCause:
      'Async Rust code calls block_on (or builds a runtime) inside a thread already driving a Tokio runtime.',
    remedies: ['escalate'],
    prevention:
      'Await instead of blocking inside async code, or use spawn_blocking for blocking work.',
  },
  {
    id: 'efcore.disposed_context',
    when: { message: /Cannot access a disposed context instance/ },
    category: 'other',
    transient: false,
    rootCause:
      'A DbContext from a request or scope is used after that scope ended (in a background task or a fire-and-forget call).',
    remedies: ['escalate'],
    prevention:
      'Create a scope (IServiceScopeFactory) for background work and resolve the context from it.',
  },
  {
    id: 'efcore.transient_failure',
    when: { message: /An exception has been raised that is likely due to a transient failure/i },
    category: 'database_connection',
    transient: true,
    rootCause:
      'Entity Framework saw a connection failure it classes as transient, with no retrying execution strategy configured.',
    remedies: ['retry_with_backoff', 'reconnect'],
    prevention: 'Enable EnableRetryOnFailure (a retrying execution strategy) for the provider.',
  },
  {
    id: 'db.connection_shared_after_fork',
    when: { message: /SSL error: decryption failed or bad record mac/i },
    // More telling than the dropped connection the same text also reports.
    priority: 1,
    category: 'database_connection',
    transient: false,
    rootCause:
      'Forked worker processes share one database connection (opened before the fork), and their TLS streams corrupt each other.',
    remedies: ['reconnect', 'escalate'],
    prevention:
      'Open database connections after forking (dispose the engine in each worker at start).',
  },
  {
    id: 'jvm.no_such_method',
    when: { message: /java\.lang\.NoSuchMethodError: / },
    category: 'build',
    transient: false,
    rootCause:
      'Two versions of a library meet on the classpath: the code was compiled against one and runs with another that lacks the method.',
    remedies: ['escalate'],
    prevention:
      'Pin one version of shared libraries (dependency management, a BOM) and check the tree for conflicts.',
  },
]);
