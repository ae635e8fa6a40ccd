/**
 * The same root cause reaches us wrapped in many ways: a log line's timestamp, level and logger,
 * a docker-compose or pm2 column, a client library's exception class, a framework's "Failed to
 * ...:" prefix, a `Caused by:` chain, a provider's JSON error body. Unwrapping peels those layers
 * so that what is compared is the innermost statement of the failure.
 */

/** What is left of a message once its wrapping is peeled off. */
export interface Unwrapped {
  /** The innermost statement of the failure, one line. */
  core: string;
  /** The innermost exception class named by the wrapping, e.g. `DeadlockDetected`. */
  name?: string;
}

const MAX_PEELS = 12;
/** Lines that are stack frames, traceback furniture or native crash dumps, never the failure. */
const FRAME_LINE =
  /^\s*(?:at\s|File\s+"|#\d+\s|\d+:\s+0x[0-9a-f]+|Traceback \(most recent call last\)|\.{3}\s|-{3,}|\[\.\.\.|\^+\s*$|Require stack:|-\s+\S+[/\\])/i;
const TRACEBACK = /^\s*Traceback \(most recent call last\)/;
/** Words with which a line says that something failed, in the languages logs are written in. */
const FAILURE_WORDS =
  /error|exception|fail|fatal|panic|denied|refused|reject|timed? ?out|timeout|deadline|exceeded|unable|cannot|can't|could not|couldn't|invalid|not found|no such|missing|unavailable|killed|evicted|abort|crash|lost|closed|reset|broken|too many|out of|limit|expired|forbidden|unauthori[sz]ed|conflict|busy|overloaded|not allowed|bad |wrong|[45]\d\d\b/i;
/** Codes that name a failure: `ERR!`, errno names (`ENOTEMPTY`), upper-case ids (`ER_LOCK_DEADLOCK`). */
const ERROR_CODE = /\bERR!?(?=\s|$)|\bE[A-Z]{3,}\b|\b[A-Z]{2,}_[A-Z_]{3,}\b/;
const CHAIN_MARKERS =
  /^\s*(?:Caused by:?|The above exception was the direct cause|During handling of the above exception)/i;
// Timestamps as loggers print them: ISO 8601 (with T, space or comma), slashed dates, syslog.
const TIMESTAMP =
  /^\[?(?:\d{4}[-/]\d{2}[-/]\d{2}[T ,]+\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT|[A-Z]{3,4}))?|\d{2}\/\d{2}\/\d{4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}|\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)\]?[,:]?\s+/;
// `name  | ` columns of docker compose and `0|app | ` of pm2.
const COLUMN_PREFIX = /^(?:\d+\|)?[\w.-]{1,40}\s*\|\s+/;
const LEVEL =
  /^\[?(?:FATAL|ERROR|ERR!?|ERR_|WARN(?:ING)?|INFO|DEBUG|DBG|TRACE|CRITICAL|SEVERE|PANIC|NOTICE|LOG)\]?(?=[\s:!-])[:!]?\s*-?\s*/i;
// Short bracketed tags before the text: `[509]`, `[Probe]`, `[main]`, `[serving_chat.py:198]`.
const BRACKET_TAG = /^\[[^\]\s][^\]]{0,40}\]:?\s+(?=\S)/;
// Logger and source locations: `{taskinstance.py:1454}`, `SqlExceptionHelper.java:144`, `sh[6467]:`.
const LOGGER =
  /^(?:\{[\w.]+:\d+\}|[\w.-]+\.(?:py|js|ts|java|go|rb|php|cs|kt|scala|ex|exs):\d+|[\w.-]+\[\d+\]:|@\s*[\d.]+)\s*-?\s*/;
// Tool banners: `npm ERR!`, `##[error]`, `psql: error:`, `gyp ERR!`, `heroku[router]:`.
const TOOL_PREFIX = /^(?:npm|yarn|pnpm|gyp)\s+ERR!\s*|^##\[error\]\s*|^psql:\s*|^thrown:\s*/i;
// A retry library's log of the failure it is retrying (tenacity, used by LangChain and LlamaIndex):
// `Retrying langchain…_completion_with_retry in 4.0 seconds as it raised RateLimitError: …`.
const RETRYING = /^Retrying\s+\S+\s+in\s+[\d.]+\s+seconds?\s+as\s+it\s+raised\s+(?=\S)/i;
// `user=..,db=..,line=1`, `postgres@db` and `key=value` log context columns.
const CONTEXT_COLUMNS = /^(?:[\w-]+=[^\s,]*[,\s]+)+(?=[A-Z])|^[\w-]+@[\w-]+\s+(?=[A-Z])/;
/**
 * An exception class or module path before `: `, as client libraries wrap errors:
 * `psycopg2.errors.DeadlockDetected: `, `org.postgresql.util.PSQLException: `,
 * `ConnectionRefusedError [SequelizeConnectionRefusedError]: `, `Redis::CommandError: `.
 */
const CLASS_PREFIX =
  /^(?:Uncaught\s+|Unhandled\s+rejection\s+)?((?:[A-Za-z_$][\w$]*(?:\.|::|\\))*([A-Z][\w$]*|[a-z]+Error|error))(?:\s*\[([\w$.]+)\])?(?:\s*\(0x[0-9a-f]+\))?:\s+(?=\S)/;
// `Name('message')`, the repr of a Python exception.
const PY_REPR = /^([A-Z][\w]*(?:Error|Exception|Failure|Lost\w*))\((['"])(.*)\2,?\)\.?$/;
// A provider's JSON or Python-dict error body carrying the human message; AWS Lambda names it
// `errorMessage`, others `error_message`, `msg`, `detail` or a bare `error` string.
const BODY_MESSAGE =
  /["'](?:message|errorMessage|error_message|errorMsg|msg|detail|error|error_description)["']\s*:\s*(?:(["'])((?:\\.|(?!\1)[^\\])*)\1)/;

/**
 * Peels log prefixes, exception classes and cause chains off a message: the innermost statement
 * stays. `Caused by:` chains and tracebacks end with the innermost cause, so the last failure
 * statement wins there; elsewhere the first line that is not a frame does.
 */
export function unwrapMessage(message: string): Unwrapped {
  const gradle = gradleCause(message);
  if (gradle !== undefined) return gradle;
  const lines = message.split(/\r?\n/);
  // A Python traceback, like a cause chain, ends with the exception that was raised.
  const chained = lines.some((line) => CHAIN_MARKERS.test(line) || TRACEBACK.test(line));
  const candidates = lines
    .map((line) => unquote(line.replace(CHAIN_MARKERS, '').trim()))
    .filter((line) => line !== '' && !FRAME_LINE.test(line));
  let name: string | undefined;
  let core = '';
  let fallback: Unwrapped | undefined;
  const ordered = chained ? [...candidates].reverse() : candidates;
  for (const line of ordered) {
    const peeled = peel(line);
    if (peeled.core === '' || isFurniture(peeled.core)) continue;
    // Lines around a failure (a command echoed, a status heading, a source line) say nothing of
    // it: the first line that names an exception or says something failed is the statement.
    if (peeled.name === undefined && !FAILURE_WORDS.test(line) && !ERROR_CODE.test(line)) {
      fallback ??= peeled;
      continue;
    }
    core = peeled.core;
    name = peeled.name;
    break;
  }
  if (core === '' && fallback !== undefined) ({ core, name } = fallback);
  if (core === '') core = (candidates[0] ?? message).trim();
  const body = BODY_MESSAGE.exec(core);
  if (body !== null && body[2]!.length >= 8) core = peel(unescape(body[2]!)).core || core;
  // `Getting "Signature validation failed"`: the quotes hold the statement, and masking would
  // leave `Getting <str>`, the pattern of every quoted error.
  if (ownWords(core.replace(QUOTED, ' ')) < 2) {
    const prose = quotedProse(core);
    if (prose !== undefined) core = peel(unescape(prose)).core || core;
  }
  return name === undefined ? { core } : { core, name };
}

// Gradle's report: `* What went wrong:`, a headline, then causes nested as `> …` lines, each
// deeper one the reason for the one above, until `* Try:`.
const GRADLE_WRONG =
  /(?:\*\s*What went wrong:\s*|(?=(?:Execution failed for task|A problem occurred (?:evaluating|configuring)|An exception occurred applying plugin request|Could not resolve all (?:files|artifacts|dependencies) for configuration)[^\n]*\s>\s))([\s\S]*?)(?:\*\s*Try:|$)/;
const GRADLE_CAUSE = /(?:^|\n|\s)>\s+(?=\S)/;

/**
 * The innermost cause of a Gradle failure: its headline ("A problem occurred evaluating project
 * ':app'", "Execution failed for task …") is the same for every cause, the last `>` line is not.
 */
function gradleCause(message: string): Unwrapped | undefined {
  const block = GRADLE_WRONG.exec(message)?.[1];
  if (block === undefined) return undefined;
  const causes = block
    .split(GRADLE_CAUSE)
    .map((part) => part.split(/\r?\n/)[0]!.replace(CHAIN_MARKERS, '').trim())
    .filter((part) => ownWords(part) >= 2);
  const innermost = causes[causes.length - 1];
  if (innermost === undefined) return undefined;
  const peeled = peel(innermost);
  return peeled.core === '' ? undefined : peeled;
}

const QUOTED = /(["'`])(?:\\.|(?!\1)[^\\])*\1/g;

/** Words of three letters or more: what a statement says, apart from its values. */
function ownWords(text: string): number {
  return text.match(/[A-Za-z]{3,}/g)?.length ?? 0;
}

/** The longest quoted text that reads as a sentence (three words or more), if any. */
function quotedProse(text: string): string | undefined {
  let best: string | undefined;
  for (const match of text.matchAll(QUOTED)) {
    const inner = match[0].slice(1, -1);
    if (
      ownWords(inner) >= 3 &&
      /\s/.test(inner) &&
      (best === undefined || inner.length > best.length)
    )
      best = inner;
  }
  return best;
}

// A whole line quoted as a value, as people paste an error into prose or JSON: "ValueError: …".
const QUOTED_LINE = /^(["'`])([^"'`]*(?:(?!\1)["'`][^"'`]*)*)\1$/;

/** The line without quotes around the whole of it; quotes around a part of it stay. */
function unquote(line: string): string {
  return QUOTED_LINE.exec(line)?.[2] ?? line;
}

/** Removes the wrapping layers from the front of one line, outermost first. */
function peel(line: string): Unwrapped {
  let text = line;
  let name: string | undefined;
  for (let i = 0; i < MAX_PEELS; i++) {
    const before = text;
    text = text
      .replace(TIMESTAMP, '')
      .replace(COLUMN_PREFIX, '')
      .replace(TOOL_PREFIX, '')
      .replace(LEVEL, '')
      .replace(BRACKET_TAG, '')
      .replace(LOGGER, '')
      .replace(CONTEXT_COLUMNS, '')
      .replace(RETRYING, '');
    const cls = CLASS_PREFIX.exec(text);
    if (cls !== null && !/\s/.test(cls[1]!)) {
      const own = cls[3] ?? cls[2]!;
      if (isClassName(own)) name = own;
      text = text.slice(cls[0].length);
    }
    const repr = PY_REPR.exec(text);
    if (repr !== null) {
      name = repr[1];
      text = unescape(repr[3]!);
    }
    text = text.trim();
    if (text === before) break;
  }
  return name === undefined ? { core: text } : { core: text, name };
}

// Exception classes by convention; bare words such as `Ingestor:` or `Storage:` are not.
function isClassName(word: string): boolean {
  return /(?:Error|Exception|Failure|Fault|Detected|Shutdown|Timeout|Lost|Bad|Refused)$/.test(word);
}

// A JSON body's metadata line (`"errorType": "AmazonS3Exception",`): the message is on another line.
const JSON_METADATA =
  /^["']?(?:errorType|error_type|__type|type|code|errorCode|status|statusCode|name|requestId|stackTrace)["']?\s*:\s*["'][^"']*["'],?$/;

// Lines that announce an error without saying which: "Error", "Traceback", "ERROR:".
function isFurniture(text: string): boolean {
  return (
    /^(?:error|exception|failed|failure|fatal)[.:!]?$/i.test(text) ||
    /^[{[(]\s*$/.test(text) ||
    JSON_METADATA.test(text)
  );
}

function unescape(text: string): string {
  return text
    .replace(/\\n/g, '\n')
    .replace(/\\(['"\\])/g, '$1')
    .split('\n')[0]!
    .trim();
}
