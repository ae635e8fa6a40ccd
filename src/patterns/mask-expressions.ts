/**
 * What variable values look like: the expressions `maskMessage` applies, kept apart from
 * the scanner that applies them. Generic on purpose: no expression here names a log source.
 */
export const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
export const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
// The lookbehind starts a match only at the start of a run, which keeps long tokens linear.
export const EMAIL_RE = /(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// Dates and times in the usual spellings: 2026-01-31T10:00:00.123Z, 2016/9/27:20:30:31.455, 17:41:44,747.
export const TS_RE =
  /(?<![\w.-])\d{2,4}[-/]\d{1,2}[-/]\d{1,4}(?:[T :_-]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g;
// Dates as people read them, with month (and weekday) names: "Sun Dec 04 04:47:44 2005",
// "Jun 14 15:16:01", "Mon, Nov 30, 2026 8:41 AM", "30 Nov 2026". One event per template, not per day.
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?';
export const DATE_WORDS_RE = new RegExp(
  `\\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s+)?(?:${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?|\\d{1,2}\\s+${MONTH})` +
    '(?:,?\\s+\\d{4}\\b)?(?:,?\\s+\\d{1,2}:\\d{2}(?::\\d{2})?(?:[.,]\\d+)?(?:\\s*[AP]M\\b)?)?(?:\\s+(?:UTC|GMT|[A-Z]{3,4})\\b)?(?:\\s+\\d{4}\\b)?',
  'g',
);
// A month's name anywhere: a literal search, cheaper than DATE_WORDS_HINT, which it must pass.
export const MONTH_NAME_HINT = /Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec/;
// A month name next to a number: the cheap test before DATE_WORDS_RE.
export const DATE_WORDS_HINT =
  /(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|\d\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/;
export const IP_RE =
  /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])|(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
// A dotted name or address followed by a port: api.example.com:443, 10.0.0.1:5432.
// The last label is lowercase letters, so a field such as state.clipTopAmount:180 is not a host,
// and a name after a slash is a file with its line (src/db.ts:3:24), not a host.
export const HOST_PORT_RE =
  /(?<![\w.-])(?:(?:\d{1,3}\.){3}\d{1,3}|(?<![/\\])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,})(?::\d{1,5})\b/g;
// A dotted name of three or more labels ending in a short lowercase label: db.eu-1.example.com.
export const HOST_RE = /(?<![\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)+\.([a-z]{2,8})(?![\w.-])/g;
// Without a port, only a real top-level domain tells a host (api.example.com) from a dotted
// setting name (mapred.task.id, config.db.host): the generic ones, or two letters that are not
// also a common word or field name.
export const GENERIC_TLD = new Set(
  'com net org edu gov mil int info biz io ai app dev cloud local internal lan arpa'.split(' '),
);
export const WORDLIKE_TLD = new Set(
  'am as at be by do go id if in is it me my no ok on so to tv up us ws'.split(' '),
);
// A path: absolute (/srv/a, C:\\x, ~/x, ./x), under a placeholder root (<ROOT>/package.json), or
// relative with a file extension (src/lib/db.ts), with its location suffix: (3,24), :12:5.
export const PATH_RE =
  /(?<![\w.:/\\-])(?:(?:(?:[A-Za-z]:\\|\\\\|~?\.{0,2}\/)[^\s"'<>:,;()[\]{}]*[/\\]|<[A-Z][A-Z0-9_]*>[/\\])[^\s"'<>:,;()[\]{}]*|([\w@+-][\w.@+-]*(?:\/[\w.@+-]+)+))(?:\(\d+(?:,\d+)?\)|:\d+(?::\d+)?(?![\w.]))?/g;
// The extension that makes a relative path of a/b.c: a short lowercase word (not HTTP/1.1).
export const EXTENSION_RE = /\.[a-z][a-z0-9]{0,7}$/;
// A number with a unit of duration or size: 30 s, 150ms, 1.2 GB, 12789 bytes (12.4 KB).
export const QUANTITY_RE =
  /\b\d+(?:\.\d+)?\s?(?:(b|bytes?|[kmgtp]i?b)\b(?:\s\(\d+(?:\.\d+)?\s?[kmgtp]i?b\))?|(?:ns|us|µs|ms|s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\b)/gi;
// A digit then a whole unit: a cheap test before the costly rule, which also checks the number's
// start and the size in parentheses. The unit, not its first letter, since a number followed by a
// word (5 messages, 0x0b85eee0) is common and would pass.
// Factored by first letter, which the regex engine does not do itself and which halves its cost.
export const QUANTITY_HINT =
  /\d\s?(?:[kmgtp]i?b|b(?:ytes?)?|[nuµm]s|s(?:ecs?|econds?)?|m(?:ins?|inutes?)?|h(?:rs?|ours?)?|d(?:ays?)?)\b/i;
// Only a quote that opens a token, so apostrophes inside words ("don't") stay text.
export const SINGLE_QUOTED_RE = /(?<![\w'])'[^']*'(?![\w'])/g;
// The value of key=value, whatever it looks like.
export const KV_VALUE_RE = /=([^\s,;&)\]}"']+)/g;
export const BOOLEAN_AFTER_COLON_RE = /(?<=:)(?:true|false)\b/g;
export const SINGLE_PLACEHOLDER_RE = /^<[a-z*]+>$/;
