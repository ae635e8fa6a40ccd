import type { StateStore } from '../core/state-store.js';
import type { PatternStore } from '../patterns/pattern-store.js';
import type { CurationStore } from './curation-store.js';
import type { DatabaseProbe } from './existing-database.js';
import type { JobEventStore } from './job-event-store.js';
import type { JobStore } from './job-store.js';
import type { MaintenanceStore } from './maintenance-store.js';
import type { ScheduleStore } from './schedule-store.js';
import type { JobTypeStore } from './job-type-store.js';
import type { HealStore } from './heal-store.js';
import type { MonitorStore } from './monitor-store.js';

export type * from './job-store.js';
export type * from './maintenance-store.js';
export type * from './schedule-store.js';
export type * from './monitor-store.js';
export type * from './curation-store.js';
export type { JobTypeStore } from './job-type-store.js';
export type * from './heal-store.js';
export type {
  NewOccurrence,
  PatternFilter,
  PatternUpsert,
  PatternStore,
} from '../patterns/pattern-store.js';
export type { StateStore } from '../core/state-store.js';

/** What `migrate()` applied. */
export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Capabilities that differ between engines; the engine reads them instead of checking `kind`. */
export interface StoreProfile {
  kind: 'embedded' | 'distributed';
  /** Other processes' inserts wake this one without polling. */
  crossProcessWakeups: boolean;
}

/**
 * The one storage contract, implemented by the SQLite and the PostgreSQL store and checked by the
 * same conformance suite. It is composed of one
 * interface per concern (jobs, patterns, state); it exposes no connections or transactions.
 * Every write that belongs to an attempt is fenced by the lease token.
 */
export interface Store
  extends
    JobStore,
    JobTypeStore,
    PatternStore,
    StateStore,
    CurationStore,
    DatabaseProbe,
    MaintenanceStore,
    ScheduleStore,
    JobEventStore,
    HealStore {
  readonly name: 'sqlite' | 'postgres';
  readonly profile: StoreProfile;
  /** What the proactive monitor reads and writes. */
  readonly monitoring: MonitorStore;

  /** Applies pending migrations; safe when several processes start at once. */
  migrate(): Promise<MigrationResult>;
  close(): Promise<void>;
}
