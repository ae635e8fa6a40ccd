import type { ActionId } from '../../knowledge/actions.js';
import type { Category } from '../../knowledge/categories.js';
import type { Job, JobError, Json, Pattern } from '../../core/types.js';

/** What a fixer is given: the failed job, its error and pattern, and the parameters chosen. */
export interface FixerContext {
  job: Job;
  error: JobError;
  pattern: Pattern;
  params: Record<string, Json>;
}

/** What a fixer did; `revert` is called when the job's re-run fails, so a bad change is undone. */
export interface FixerResult {
  /** What changed, for the improvement log (no secrets). */
  changes?: Record<string, Json>;
  revert?: () => Promise<void> | void;
}

/**
 * A code-level fix a user registers (the seed's self-heal): patches generated code or a config,
 * clears a cache, rotates credentials, rolls back. It performs one catalogue action and is
 * offered for that action generally, or only for one pattern (id or signature) or category.
 * Its change counts as a success only when the job's next attempt completes.
 */
export interface Fixer {
  /** A name for logs and the improvement log. */
  name: string;
  action: ActionId;
  /** Only for this pattern (id or signature). */
  pattern?: string;
  /** Only for patterns of this category. */
  category?: Category;
  fix(context: FixerContext): Promise<FixerResult | void> | FixerResult | void;
}
