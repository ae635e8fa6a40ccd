import type { Clock } from '../core/clock.js';
import type { StateStore } from '../core/state-store.js';
import type { Job, Pattern } from '../core/types.js';
import type { PatternBook } from '../patterns/pattern-book.js';
import type { HealStore, Improvement } from '../store/heal-store.js';
import type { JobStore } from '../store/job-store.js';
import type { HealReport } from './heal-report.js';
import type { JobTypeView } from './job-type-view.js';

/** What the healer needs from the engine it heals. */
export interface HealerDeps {
  store: JobStore & StateStore & HealStore;
  patterns: PatternBook;
  clock: Clock;
  /** The stored job type descriptions (for scans, stuck jobs and breakers). */
  listJobTypes: () => Promise<readonly JobTypeView[]>;
  onError?: (error: Error) => void;
}

/** Events of a {@link Healer}. */
export interface HealerEvents {
  /** A failure or stuck job was handled. */
  heal: [report: HealReport];
  /** A heal's outcome became known. */
  outcome: [improvement: Improvement];
  /** A failure was counted on its pattern. */
  recorded: [pattern: Pattern, job: Job];
}
