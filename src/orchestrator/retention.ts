import { DAY, HOUR } from '../core/clock.js';
import { invalidArgument } from '../core/errors.js';
import { z } from 'zod';
import type { JobPruneRule, MaintenanceStore } from '../store/maintenance-store.js';
import { describeIssues } from './payload-schema.js';

/** How long finished jobs of one type are kept, by age and by count. */
export interface JobRetention {
  /** Delete completed jobs this long after they finished. @default 7 days */
  completedMs?: number | null;
  /** Delete failed jobs this long after they failed. @default 30 days */
  failedMs?: number | null;
  /** Delete cancelled jobs this long after they were cancelled. @default 7 days */
  cancelledMs?: number | null;
  /** Keep at most this many completed, this many failed and this many cancelled jobs per type. @default 10000 */
  keepPerType?: number | null;
}

/**
 * What the engine prunes, and when (`retention` on createMegaMind; `false` turns it off). Learned
 * patterns and their counts are never pruned; a job's attempts go with the job.
 */
export interface RetentionPolicy extends JobRetention {
  /** Overrides per job type. */
  types?: Record<string, JobRetention>;
  /** Delete error occurrences this long after they were recorded. @default 30 days */
  occurrencesMs?: number | null;
  /** Delete settled improvement logs this long after they were created. @default 90 days */
  improvementLogsMs?: number | null;
  /** How often an engine prunes. @default 1 hour */
  intervalMs?: number;
}

/** The defaults, stated once. */
export const RETENTION_DEFAULTS = {
  completedMs: 7 * DAY,
  failedMs: 30 * DAY,
  cancelledMs: 7 * DAY,
  keepPerType: 10_000,
  occurrencesMs: 30 * DAY,
  improvementLogsMs: 90 * DAY,
  intervalMs: HOUR,
} as const;

/** What a pruning pass deleted. */
export interface PruneResult {
  jobs: number;
  occurrences: number;
  improvementLogs: number;
}

const STATUSES = [
  ['completed', 'completedMs'],
  ['failed', 'failedMs'],
  ['cancelled', 'cancelledMs'],
] as const;

const duration = z.number().positive().finite().nullable().optional();
const jobRetention = z.strictObject({
  completedMs: duration,
  failedMs: duration,
  cancelledMs: duration,
  keepPerType: z.number().int().min(0).nullable().optional(),
});
const retentionPolicy = jobRetention.extend({
  types: z.record(z.string(), jobRetention).optional(),
  occurrencesMs: duration,
  improvementLogsMs: duration,
  intervalMs: z.number().positive().finite().optional(),
});

/** Validates a policy, naming the wrong field by its path (`retention.types.bulk.keepPerType: …`). */
export function validateRetention(policy: RetentionPolicy): void {
  const parsed = retentionPolicy.safeParse(policy);
  if (!parsed.success) throw invalidArgument(describeIssues(parsed.error, 'retention'));
}

const pick = <K extends keyof JobRetention>(
  retention: JobRetention,
  base: JobRetention,
  key: K,
): JobRetention[K] => (retention[key] !== undefined ? retention[key] : base[key]);

function rules(
  type: string | null,
  except: readonly string[],
  retention: JobRetention,
  now: number,
): JobPruneRule[] {
  return STATUSES.map(([status, field]) => {
    const age = retention[field] ?? null;
    return {
      status,
      type,
      except,
      finishedBefore: age === null ? null : now - age,
      keepNewest: retention.keepPerType ?? null,
    };
  });
}

/** One pruning pass: finished jobs by type (defaults, then each override), occurrences, improvement logs. */
export async function pruneFinished(
  store: MaintenanceStore,
  policy: RetentionPolicy,
  now: number,
): Promise<PruneResult> {
  const base: JobRetention = {
    completedMs: pick(policy, RETENTION_DEFAULTS, 'completedMs'),
    failedMs: pick(policy, RETENTION_DEFAULTS, 'failedMs'),
    cancelledMs: pick(policy, RETENTION_DEFAULTS, 'cancelledMs'),
    keepPerType: pick(policy, RETENTION_DEFAULTS, 'keepPerType'),
  };
  const overridden = Object.keys(policy.types ?? {});
  const all = [
    ...rules(null, overridden, base, now),
    ...Object.entries(policy.types ?? {}).flatMap(([type, retention]) =>
      rules(
        type,
        [],
        {
          completedMs: pick(retention, base, 'completedMs'),
          failedMs: pick(retention, base, 'failedMs'),
          cancelledMs: pick(retention, base, 'cancelledMs'),
          keepPerType: pick(retention, base, 'keepPerType'),
        },
        now,
      ),
    ),
  ];
  let jobs = 0;
  for (const rule of all) jobs += await store.pruneJobs(rule);
  const occurrencesMs =
    policy.occurrencesMs !== undefined ? policy.occurrencesMs : RETENTION_DEFAULTS.occurrencesMs;
  const logsMs =
    policy.improvementLogsMs !== undefined
      ? policy.improvementLogsMs
      : RETENTION_DEFAULTS.improvementLogsMs;
  return {
    jobs,
    occurrences: occurrencesMs === null ? 0 : await store.pruneOccurrences(now - occurrencesMs),
    improvementLogs: logsMs === null ? 0 : await store.pruneImprovementLogs(now - logsMs),
  };
}
