import type { ActionId } from './actions.js';
import type { Category } from './categories.js';

/**
 * What an error no rule knows says about itself, read the way a person triages one: some classes
 * and wordings mean the same call will fail the same way until someone changes the code, the
 * input or the configuration; others mean the condition passes. These are properties of
 * languages and of how programs word errors, not of any one service, so they hold on errors the
 * rules were never written for. Rules always come first; these only inform the fallback.
 */

/**
 * Exception classes that runtimes and common libraries raise for a bug in the calling code, a
 * module or class that is not installed, or input that fails validation. Broad classes that also carry transient failures are left out:
 * JavaScript's `TypeError` (undici's `fetch failed`), `SyntaxError` (a truncated JSON body),
 * Python's `OSError` and `RuntimeError`, Java's `IOException`.
 */
export const PERMANENT_CLASS_NAMES: readonly string[] = [
  // JavaScript
  'ReferenceError',
  'RangeError',
  // Python
  'NameError',
  'AttributeError',
  'KeyError',
  'IndexError',
  'ValueError',
  'ZeroDivisionError',
  'AssertionError',
  'NotImplementedError',
  'UnboundLocalError',
  'RecursionError',
  'IndentationError',
  'ModuleNotFoundError',
  'ImportError',
  // Java, Kotlin
  'NullPointerException',
  'ClassCastException',
  'IndexOutOfBoundsException',
  'ArrayIndexOutOfBoundsException',
  'StringIndexOutOfBoundsException',
  'IllegalArgumentException',
  'NumberFormatException',
  'UnsupportedOperationException',
  'ArithmeticException',
  'ClassNotFoundException',
  'NoClassDefFoundError',
  'NoSuchMethodError',
  'NoSuchFieldError',
  'KotlinNullPointerException',
  'UninitializedPropertyAccessException',
  // .NET
  'NullReferenceException',
  'InvalidCastException',
  'ArgumentException',
  'ArgumentNullException',
  'ArgumentOutOfRangeException',
  'KeyNotFoundException',
  'FormatException',
  'NotImplementedException',
  'NotSupportedException',
  // Ruby
  'NoMethodError',
  'ArgumentError',
  // Validation and configuration libraries
  'ValidationError',
  'ValidationException',
  'ZodError',
  'ConfigError',
  'ConfigurationError',
  'ConfigurationException',
  'InvalidConfigurationException',
  'SchemaError',
];

/** How runtimes without exception classes word a bug: Go and Rust panics, .NET and Python texts. */
export const PROGRAMMING_ERROR_WORDING =
  /\bpanic: runtime error\b|\bnil pointer dereference\b|\bindex out of range\b|\bpanicked at\b|`(?:Option|Result)::(?:unwrap|expect)\(\)`|\bundefined method\b|\bis not defined\b|\bhas no attribute\b|\bobject is not (?:callable|subscriptable|iterable)\b|\bObject reference not set to an instance\b|\bMaximum call stack size exceeded\b|\bCannot invoke\b[^\n]*\bbecause\b[^\n]*\bis null\b/;

/**
 * Wording that describes a request, input or configuration that is wrong rather than a condition
 * that passes: validation messages, unknown options, unparseable files, missing settings.
 */
export const INVALID_INPUT_WORDING = new RegExp(
  [
    String.raw`\binvalid\b`,
    String.raw`\b(?:is not|isn't|not a) valid\b`,
    String.raw`\b(?:wasn't|was not|is not|isn't) expected\b`,
    String.raw`\billegal\b`,
    String.raw`\b(?:failed|unable|could not|cannot|can't) (?:to )?(?:load|read|open) (?:the )?config`,
    String.raw`\bmissing\b`,
    String.raw`\b(?:is|are|was|field|argument|parameter|option|setting|property|value) required\b`,
    String.raw`\brequired (?:field|argument|parameter|option|setting|property|key|variable|environment variable|config(?:uration)?)\b`,
    String.raw`\bmust (?:be|not|have|contain|match|specify|provide|include|start|end)\b`,
    String.raw`\bnot allowed\b`,
    String.raw`\bunknown (?:option|flag|argument|field|parameter|property|key|command|column|attribute|type|value|setting|directive)\b`,
    String.raw`\bunrecogni[sz]ed\b`,
    String.raw`\bunexpected (?:token|argument|keyword|field|character|type|value|identifier|end of|key|property|indent)\b`,
    String.raw`\bmalformed\b`,
    String.raw`\bunsupported\b`,
    String.raw`\b(?:not|no longer) supported\b`,
    String.raw`\bnot implemented\b`,
    String.raw`\bno such file or directory\b`,
    // Nothing available fits what was asked for (a package version, a platform's image, a host
    // key type). A bare "not found" or "does not exist" is no cue: a resource created a moment ago
    // is often not visible yet.
    String.raw`\bno matching\b`,
    // gRPC and Google API status names of a request that is wrong as sent.
    String.raw`\b(?:INVALID_ARGUMENT|FAILED_PRECONDITION|ALREADY_EXISTS|OUT_OF_RANGE|UNIMPLEMENTED)\b`,
    String.raw`\bexpected\b[^.;\n]{1,60}\b(?:got|but|received|found|instead)\b`,
    String.raw`\balready exists\b`,
    String.raw`\bduplicate\b`,
    String.raw`\bincompatible\b`,
    String.raw`\bout of range\b`,
  ].join('|'),
  'i',
);

const words = (parts: readonly string[]): RegExp => new RegExp(parts.join('|'), 'i');

/**
 * A condition that says who may act rather than whether to wait: credentials, permissions and
 * memory. Its wording is read before any passing condition's ("login was refused" is not a
 * refused connection), since no wait changes it: only a person, or a fixer the user registered.
 */
export interface StandingCondition {
  readonly wording: RegExp;
  readonly category: Category;
  /** True only for credentials that expired: a refresh brings valid ones. */
  readonly transient: boolean;
  /** Remedies, best first. */
  readonly remedies: readonly ActionId[];
  /** What it means, for the verdict's root cause. */
  readonly meaning: string;
}

/**
 * Standing conditions, most specific first: expired credentials before wrong ones, files before
 * services.
 */
export const STANDING_CONDITIONS: readonly StandingCondition[] = [
  {
    wording: words([
      String.raw`\b(?:token|credentials?|signature|certificate|password|key)s? (?:has |have |is |are )?expired\b`,
      String.raw`\bexpired (?:token|credentials?)\b`,
      String.raw`\bExpiredToken`,
    ]),
    category: 'auth',
    transient: true,
    remedies: ['refresh_credentials', 'escalate'],
    meaning: 'credentials that expired, which a refresh renews',
  },
  {
    wording: words([
      String.raw`\bEACCES\b`,
      String.raw`\bEPERM\b`,
      String.raw`\boperation not permitted\b`,
      String.raw`\bread-only file ?system\b`,
      // Python's wording of EACCES: a path the process may not touch, not a credential.
      String.raw`\[Errno 13\]`,
      String.raw`\bPermissionError\b`,
    ]),
    category: 'other',
    transient: false,
    remedies: ['escalate', 'fail_fast'],
    meaning: 'a file or device the process may not touch, until someone changes its permissions',
  },
  {
    wording: words([
      String.raw`\bauthenticat\w* (?:failed|failure|required|error)\b`,
      String.raw`\b(?:failed|unable) to authenticate\b`,
      String.raw`\bunauthenticated\b`,
      String.raw`\b(?:not |un)authori[sz]ed\b`,
      String.raw`\bforbidden\b`,
      String.raw`\baccess[ _-]?(?:denied|refused)\b`,
      String.raw`\blogin (?:was )?(?:refused|failed|denied)\b`,
      String.raw`\bpermission[ _]denied\b`,
      String.raw`\b(?:does not have|lacks?|missing|insufficient) (?:the )?(?:required )?(?:permissions?|authori[sz]ation|privileges?|scopes?)\b`,
      String.raw`\binvalid (?:credentials|api[ _-]?key|access[ _-]?key|token|client[ _-]?token|password|username or password)\b`,
      String.raw`\b(?:incorrect|wrong|bad) (?:credentials|api[ _-]?key|password|username or password)\b`,
      String.raw`\b(?:InvalidClientTokenId|AuthorizationFailed|AccessDenied|SignatureDoesNotMatch|Unauthorized)\b`,
    ]),
    category: 'auth',
    transient: false,
    remedies: ['escalate', 'refresh_credentials'],
    meaning: 'credentials that are missing, wrong or lack a permission, until someone fixes them',
  },
  {
    wording: words([
      String.raw`\bout of memory\b`,
      String.raw`\bOutOfMemory`,
      String.raw`\bMemoryError\b`,
      String.raw`\bheap (?:space|out of memory|limit)\b`,
      String.raw`\bGC overhead limit exceeded\b`,
      String.raw`\b(?:cannot|unable to) allocate (?:memory\b|[\d.]+ ?[KMGT]i?B\b|<[a-z*]+>)`,
      String.raw`\bOOM ?killed\b`,
      String.raw`\bmemory (?:limit|quota) (?:exceeded|reached)\b`,
    ]),
    category: 'resource',
    transient: false,
    remedies: ['increase_memory', 'reduce_batch_size', 'reduce_concurrency'],
    meaning: 'memory that ran out, until the job gets more or asks for less',
  },
  {
    // Celery's SoftTimeLimitExceeded, a task's "hard time limit (300s) exceeded": the work itself
    // outgrew the limit, so the same run would hit it again. Not a rate limit.
    wording: words([String.raw`\btime ?limit\b|TimeLimitExceeded`]),
    category: 'timeout',
    transient: false,
    remedies: ['increase_timeout', 'retry_with_backoff'],
    meaning: 'work that outgrew its time limit, until the limit grows or the work shrinks',
  },
];

/** One kind of passing condition: how it is worded and what it says about the error. */
export interface PassingCondition {
  readonly wording: RegExp;
  /** The category, and the one to use when the error comes from a database. */
  readonly category: Category;
  readonly databaseCategory: Category;
  /** Remedies, best first. */
  readonly remedies: readonly ActionId[];
}

/**
 * Wording of conditions that pass, most telling first: a worker that stopped reporting,
 * throttling, a lost connection, a timeout, an unreachable peer, lock contention, then waiting,
 * overload, elections and shutdowns. Any of
 * them outweighs every permanent cue, because failing a transient error for good loses a job that
 * a retry would have finished, while retrying a permanent one costs one attempt.
 */
export const PASSING_CONDITIONS: readonly PassingCondition[] = [
  {
    // A worker that stopped reporting: its job is orphaned, not failed, and runs again elsewhere.
    wording: words([
      String.raw`\bstall(?:ed|ing)?\b`,
      String.raw`\bzombie\b`,
      String.raw`\bheartbeats?\b`,
      String.raw`\blease (?:was )?(?:lost|expired)\b`,
      String.raw`\blost (?:its |the )?lease\b`,
    ]),
    category: 'orchestrator_stuck',
    databaseCategory: 'orchestrator_stuck',
    remedies: ['restart_job', 'retry_with_backoff'],
  },
  {
    wording: words([
      String.raw`\bthrottl`,
      String.raw`\brate.?limit`,
      String.raw`\brate exceeded\b`,
      String.raw`\btoo many requests\b`,
      String.raw`\bslow ?down\b`,
      String.raw`\breduce (?:your )?request rates?\b`,
      String.raw`\b(?:calls|requests) per (?:second|minute|hour)\b`,
      String.raw`\bRESOURCE_EXHAUSTED\b|\bResourceExhausted\b`,
      String.raw`\bthroughput exceeded\b|\bThroughputExceeded`,
    ]),
    category: 'rate_limit',
    databaseCategory: 'rate_limit',
    remedies: ['wait_for_rate_limit', 'reduce_concurrency', 'retry_with_backoff'],
  },
  {
    wording: words([
      String.raw`\bconnection\b[^.;\n]{0,40}\b(?:closed|lost|dropped|terminated|aborted|reset)\b`,
      String.raw`\bclosed the connection\b`,
      // ZooKeeper's and others' single word for it: `ConnectionLoss`, `connection loss`.
      String.raw`\bconnection ?loss\b`,
      String.raw`\bbroken pipe\b`,
      String.raw`\bhang ?up\b`,
      String.raw`\b(?:EPIPE|ECONNRESET|ECONNABORTED)\b`,
      String.raw`\breset\b`,
    ]),
    category: 'network',
    databaseCategory: 'database_connection',
    remedies: ['reconnect', 'retry_with_backoff'],
  },
  {
    wording: words([
      String.raw`\btime[ds]? ?out\b`,
      String.raw`\btimeout\b`,
      String.raw`\bETIMEDOUT\b`,
      String.raw`\bdeadline[ _]exceeded\b`,
    ]),
    category: 'timeout',
    databaseCategory: 'timeout',
    remedies: ['retry_with_backoff', 'increase_timeout'],
  },
  {
    wording: words([
      String.raw`\brefused\b`,
      String.raw`\bunreachable\b`,
      String.raw`\b(?:EAI_AGAIN|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH)\b`,
    ]),
    category: 'network',
    databaseCategory: 'database_connection',
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
  },
  {
    wording: words([String.raw`\block(?:ed)?\b`, String.raw`\bdeadlock`]),
    category: 'api_failure',
    databaseCategory: 'database_query',
    remedies: ['retry_with_backoff'],
  },
  {
    wording: words([
      String.raw`\btemporar(?:y|ily)\b`,
      String.raw`\bunavailable\b`,
      // A peer that is down comes back: "the database is down", "check if any backend is down".
      String.raw`\b(?:is|are|was|were|went|goes) down\b`,
      String.raw`\btry again\b`,
      String.raw`\bretr(?:y|ying|ies|iable)\b`,
      String.raw`\boverload`,
      String.raw`\bbusy\b`,
      String.raw`\btoo many\b`,
      String.raw`\blater\b`,
      String.raw`\bin progress\b`,
      String.raw`\bnot (?:yet )?ready\b`,
      String.raw`\bstarting up\b`,
      String.raw`\bshut(?:ting)? ?down\b`,
      String.raw`\binterrupted\b`,
      String.raw`\bleader\b`,
      String.raw`\bquorum\b`,
      String.raw`\bcongest`,
      String.raw`\bcancel+ed\b`,
    ]),
    category: 'api_failure',
    databaseCategory: 'database_connection',
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
  },
];
