/**
 * What the pattern subsystem needs to know about one failure. Everything but `message` is
 * optional because errors arrive from many places: thrown objects, JSON lines, monitor findings.
 *
 * Kept identical to the declaration in `fingerprint.ts` on the grouping branch so the two can
 * be swapped without touching callers.
 */
export interface ErrorInput {
  /** The error message, as thrown. */
  message: string;
  /** Error class name, e.g. `TypeError`, `PrismaClientKnownRequestError`. */
  name?: string;
  /** Machine code: `ECONNREFUSED`, `P2024`, `insufficient_quota`, a SQLSTATE, an errno. */
  code?: string | number;
  /** HTTP status of the failed response, when there was one. */
  status?: number;
  /** Provider error type, e.g. OpenAI `insufficient_quota`, Anthropic `overloaded_error`. */
  type?: string;
  /** Stack trace text. */
  stack?: string;
  /** Job type the error happened in. */
  jobType?: string;
  /** Stage the job was in when it failed. */
  stage?: string;
}
