import { defineRules } from './rule.js';

/**
 * Functions as a service (AWS Lambda, Google Cloud Functions, Step Functions), the edge in front
 * of an origin (Cloudflare) and webhook senders: limits the platform sets on a function's time,
 * memory, package and payload.
 */
export const SERVERLESS_RULES = defineRules([
  {
    id: 'lambda.sqs_visibility_timeout',
    when: { message: /Queue visibility timeout: \d+ seconds is less than Function timeout/i },
    category: 'deployment',
    transient: false,
    rootCause:
      "The SQS queue's visibility timeout is shorter than the function's timeout, which Lambda refuses for an event source.",
    remedies: ['escalate'],
    prevention: "Set the queue's visibility timeout to at least six times the function's timeout.",
  },
  {
    id: 'serverless.memory_exceeded',
    when: {
      message:
        /Memory limit of \d+ ?MiB exceeded with \d+ ?MiB used|Runtime exited with error: signal: killed/i,
    },
    category: 'resource',
    transient: false,
    rootCause: 'The function used more memory than its configured size and was killed.',
    remedies: ['increase_memory', 'reduce_batch_size'],
    prevention: "Size the function's memory from its measured peak, and stream large payloads.",
  },
  {
    id: 'lambda.package_too_large',
    when: { message: /Unzipped size must be smaller than \d+ bytes/i },
    category: 'deployment',
    transient: false,
    rootCause: "The function's code and layers exceed Lambda's 250 MB unzipped package limit.",
    remedies: ['escalate'],
    prevention:
      'Trim dependencies (exclude dev and test files), or ship the function as a container image.',
  },
  {
    id: 'lambda.payload_too_large',
    when: {
      message:
        /Exceeded maximum allowed payload size|RequestEntityTooLargeException|byte payload is too large for the \w+ invocation type/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The request or response is larger than Lambda accepts (6 MB synchronous, 256 KB asynchronous).',
    remedies: ['reduce_batch_size', 'escalate'],
    prevention: 'Pass large payloads through object storage and send only a reference.',
  },
  {
    id: 'stepfunctions.data_limit',
    when: {
      message:
        /States\.DataLimitExceeded|returned a result with a size exceeding the maximum number of bytes service limit/i,
    },
    category: 'other',
    transient: false,
    rootCause: 'A state returned more than Step Functions passes between states (256 KB).',
    remedies: ['reduce_batch_size', 'escalate'],
    prevention: 'Keep state output small: write large results to S3 and pass their keys.',
  },
  {
    id: 's3.region_mismatch',
    when: {
      message: /AuthorizationHeaderMalformed|the region '[\w-]+' is wrong; expecting '[\w-]+'/i,
    },
    category: 'auth',
    transient: false,
    rootCause: 'The request was signed for another region than the bucket is in.',
    remedies: ['escalate'],
    prevention:
      "Configure the client with the bucket's region (or let it follow the region redirect).",
  },
  {
    id: 'cloudflare.origin_timeout',
    when: { message: /\b524:? Origin Time-?out|\berror 524\b|Response Code: 524\b/i },
    category: 'timeout',
    transient: false,
    rootCause:
      "The origin took longer than Cloudflare's proxy read timeout (100 s) to answer, though it may still be working.",
    remedies: ['escalate', 'increase_timeout'],
    prevention:
      'Answer long requests at once and finish the work in the background; poll for the result.',
  },
  {
    id: 'webhook.delivery_timeout',
    when: { message: /couldn.t deliver this payload: Service Timeout/i },
    category: 'timeout',
    transient: false,
    rootCause: 'The webhook receiver took longer to answer than the sender waits (GitHub: 10 s).',
    remedies: ['escalate'],
    prevention: 'Acknowledge webhooks at once and process them from a queue.',
  },
]);
