import { maskMessage, maskTokens } from './mask.js';
import { hashParts, signatureHash } from './signature-hash.js';
import type { TemplateTree } from './template-tree.js';

/** What we know about one failure, from a thrown error or a stored job row. */
export interface ErrorInput {
  message: string;
  /** Error class, e.g. `TypeError`; the generic `Error` counts as none. */
  name?: string;
  /** Stable code: `ECONNRESET`, `ERR_STALE_LEASE`, a Postgres SQLSTATE… */
  code?: string | number;
  /** HTTP status, when the error came from an HTTP answer. */
  status?: number;
  /** Failure type (Temporal's `ApplicationFailure.type`); used when `name` is absent. */
  type?: string;
  stack?: string;
  /** Context only: the same error in two job types is one pattern, so it is not hashed. */
  jobType?: string;
  /** Context only, as `jobType`; stuck jobs use {@link stuckSignature} instead. */
  stage?: string;
}

/** The grouping key of a failure and what it was computed from. */
export interface Fingerprint {
  /** 16 hex characters: the exact shape of the message, the same on every node and after a restart. */
  signature: string;
  /** The message with its variable parts replaced by placeholders. */
  template: string;
  /** The app's own top stack frames as `function (path)`, without line or column. */
  frames: string[];
  /**
   * The template cluster, when a tree was given. A later merge can fold it into an older cluster
   * (`tree.resolve(clusterId)`).
   */
  clusterId?: string;
}

/** Frames kept in a signature: enough to tell call sites apart, few enough to survive refactors. */
const MAX_FRAMES = 3;

// V8: "    at fn (file:1:2)", "    at file:1:2", "    at async fn (file:1:2)".
const V8_FRAME = /^\s*at\s+(?:async\s+)?(?:(.*?)\s+\()?(.+?)(?::\d+)?(?::\d+)?\)?\s*$/;
// SpiderMonkey/JavaScriptCore: "fn@file:1:2".
const GECKO_FRAME = /^\s*([^@\s]*)@(.+?):\d+:\d+\s*$/;

/**
 * Computes the signature of an error the way error trackers group issues: error class, code,
 * status, the masked message and the app's own top frames. The signature is the exact shape of
 * the message, the same with or without a tree, so `megamind analyze` and the pattern book agree
 * on it. With a `tree`, the message is also mined (and the tree learns from it, unless `learn` is
 * false): the template then masks values no mask recognises, and `clusterId` names the template
 * cluster the message joined (none when it would found a new one and `learn` is false).
 */
export function fingerprintError(
  input: ErrorInput,
  tree?: TemplateTree,
  learn = true,
): Fingerprint {
  const { message } = input;
  const masked = maskTokens(message).join(' ');
  let template = masked;
  let clusterId: string | undefined;
  if (tree !== undefined) {
    const match = learn ? tree.add(message) : tree.match(message);
    if (match !== undefined) {
      template = match.template;
      clusterId = match.clusterId;
    }
  }
  const frames = input.stack === undefined ? [] : appFrames(input.stack);
  const name = input.name ?? input.type ?? '';
  const signature = signatureHash(
    name === 'Error' ? '' : name,
    input.code === undefined ? '' : String(input.code),
    input.status === undefined ? '' : String(input.status),
    masked,
    frames,
  );
  return clusterId === undefined
    ? { signature, template, frames }
    : { signature, template, frames, clusterId };
}

/**
 * The synthetic fingerprint of a job stuck in a stage: one pattern per job type and stage,
 * whatever the job id or the exact percentage it stopped at. The stage name is masked, so
 * "Importing batch 3 of 10" and "Importing batch 7 of 10" are one stage.
 */
export function stuckSignature(
  jobType: string,
  stage: string | undefined,
  percent?: number,
): Fingerprint {
  void percent; // Progress within a stage varies from run to run; it is not part of the pattern.
  return {
    signature: hashParts(['stuck', jobType, stage === undefined ? '' : maskMessage(stage)]),
    template: `stuck at '<stage>' (<pct>%)`,
    frames: [],
  };
}

/**
 * The top frames that belong to the application: no dependencies, no Node internals, and no line
 * or column numbers, which move with every unrelated edit of the file.
 */
export function appFrames(stack: string, max = MAX_FRAMES): string[] {
  const frames: string[] = [];
  for (const line of stack.split('\n')) {
    const m = V8_FRAME.exec(line) ?? (line.includes('@') ? GECKO_FRAME.exec(line) : null);
    if (m === null) continue;
    const location = m[2] ?? '';
    if (!isAppLocation(location)) continue;
    // "new X", "Object.<anonymous>" and "f [as g]" name the same code as "X", "<anonymous>", "f".
    const fn =
      (m[1] ?? '')
        .replace(/^new /, '')
        .replace(/^Object\./, '')
        .replace(/ \[as [^\]]+\]$/, '') || '<anonymous>';
    frames.push(`${fn} (${shortPath(location)})`);
    if (frames.length === max) break;
  }
  return frames;
}

function isAppLocation(location: string): boolean {
  if (location.startsWith('node:') || location.startsWith('internal/')) return false;
  // "native", "<anonymous>", or a message line that happens to start with "at".
  if (!/[/\\]/.test(location) && !/^[\w.-]+\.\w+$/.test(location)) return false;
  return !/[/\\]node_modules[/\\]/.test(location);
}

/**
 * The last two segments of a path: stable across machines and deploy directories, yet telling
 * `orders/create.ts` from `users/create.ts`.
 */
function shortPath(location: string): string {
  const path = location.replace(/^file:\/\//, '').replace(/[?#].*$/, '');
  const parts = path.split(/[/\\]/).filter((p) => p !== '');
  return parts.slice(-2).join('/');
}
