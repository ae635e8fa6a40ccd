import { defineRules } from './rule.js';

/** Programming errors and stream failures raised by the JavaScript runtime itself. */
export const JAVASCRIPT_RULES = defineRules([
  {
    id: 'js.cannot_read_property',
    when: {
      message:
        /Cannot read propert(?:y|ies) of (?:undefined|null)|Cannot set propert(?:y|ies) of (?:undefined|null)/,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The code used a value that was undefined or null, usually an unexpected shape of data from an API, a model or the database.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Validate external data at the boundary (e.g. with a schema) before using it.',
  },
  {
    id: 'js.not_a_function',
    when: { names: ['TypeError'], message: /\bis not a function\b/ },
    category: 'other',
    transient: false,
    rootCause:
      'The code called something that is not a function: a wrong import (default vs named), a changed library API, or a bad value.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Type-check with strict settings and pin library versions that changed their API.',
  },
  {
    id: 'stream.premature_close',
    when: [{ codes: ['ERR_STREAM_PREMATURE_CLOSE'] }, { message: /^Premature close$/ }],
    category: 'network',
    transient: true,
    rootCause:
      'A stream ended before it finished, typically because the socket under an HTTP body or download closed.',
    remedies: ['retry_with_backoff', 'reconnect'],
    prevention: 'Make downloads resumable and retry idempotent reads.',
  },
]);
