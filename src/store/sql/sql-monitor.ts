import type { Job, JobError } from '../../core/types.js';
import type {
  DurationHistory,
  DurationSample,
  FindingClaim,
  FindingCount,
  FindingFilter,
  FindingStatus,
  Leadership,
  MonitorStore,
  NewFinding,
  OccurrenceCounts,
  RecentAttempt,
  RunningJob,
  RunningJobCutoffs,
  StoredFinding,
} from '../monitor-store.js';
import type { Fenced } from '../job-store.js';
import {
  groupDurations,
  rowToAttempt,
  rowToFinding,
  rowToLeadership,
  rowToRunningJob,
} from '../row-mapping.js';
import * as q from './monitor-queries.js';
import type { Revocations } from './revocations.js';
import { rows, type Row, type SqlRunner } from './sql-runner.js';

/** What the monitor reads and writes its own way on each engine. */
export interface MonitorEngine {
  /**
   * Running jobs, read through the partial index of running leases, and of them only the
   * candidates (see {@link RunningJobCutoffs}).
   * $1 all (a dialect boolean: every running job) $2 now $3 rules (JSON array of RunningJobRule)
   * $4 default stuck ms $5 predict-from percent
   */
  readonly listRunningSql: string;
  /** Stores samples, keeping the newest `keep` per job type and stage. */
  addDurationSamples(samples: readonly DurationSample[], keep: number): Promise<void>;
}

/** The monitor's tables and reads, on either engine (see {@link MonitorStore}). @internal */
export class SqlMonitor implements MonitorStore {
  #sql: SqlRunner;
  #engine: MonitorEngine;
  #revocations: Revocations;
  #listOpen: string;
  #abandon: string;

  constructor(sql: SqlRunner, engine: MonitorEngine, revocations: Revocations) {
    this.#sql = sql;
    this.#engine = engine;
    this.#revocations = revocations;
    this.#listOpen = q.listOpenFindings(sql.dialect);
    this.#abandon = q.abandonFindings(sql.dialect);
  }

  async acquireLeadership(
    name: string,
    owner: string,
    ttlMs: number,
    now: number,
  ): Promise<Leadership | undefined> {
    const [row] = await this.#sql.write(q.ACQUIRE_LEADERSHIP, [name, owner, ttlMs, now]);
    return row ? rowToLeadership(row) : undefined;
  }

  async resignLeadership(name: string, owner: string, epoch: number): Promise<void> {
    await this.#sql.run(q.RESIGN_LEADERSHIP, [name, owner, epoch]);
  }

  async getLeadership(name: string): Promise<Leadership | undefined> {
    const [row] = await this.#sql.all(q.GET_LEADERSHIP, [name]);
    return row ? rowToLeadership(row) : undefined;
  }

  async listRunningJobs(cutoffs?: RunningJobCutoffs): Promise<RunningJob[]> {
    const running = await this.#sql.all(this.#engine.listRunningSql, [
      this.#sql.dialect.bool(!cutoffs),
      cutoffs?.now ?? 0,
      JSON.stringify(cutoffs?.rules ?? []),
      cutoffs?.defaultStuckAfterMs ?? 0,
      cutoffs?.predictFromPercent ?? 0,
    ]);
    return running.map(rowToRunningJob);
  }

  async listAttemptsAfter(afterId: number, limit: number): Promise<RecentAttempt[]> {
    const attempts = await this.#sql.all(q.LIST_ATTEMPTS_AFTER, [afterId, limit]);
    return attempts.map((row) => ({
      ...rowToAttempt(row, this.#sql.dialect.codec),
      id: Number(row.id),
      type: String(row.type),
    }));
  }

  async lastAttemptId(): Promise<number> {
    const [row] = await this.#sql.all(q.LAST_ATTEMPT_ID);
    return Number(row?.id ?? 0);
  }

  async insertFindings(findings: readonly NewFinding[]): Promise<StoredFinding[]> {
    if (findings.length === 0) return [];
    const stored = await this.#sql.transaction(function* () {
      const inserted: Row[] = [];
      for (const f of findings) {
        const evidence = JSON.stringify(f.evidence);
        const values = [f.key, f.kind, f.jobId, f.jobType, f.patternId, f.summary, evidence];
        inserted.push(...(yield* rows(q.INSERT_FINDING, [...values, f.detectedAt, f.detectedBy])));
      }
      return inserted;
    });
    return this.#findings(stored);
  }

  async claimFinding(claim: FindingClaim): Promise<boolean> {
    const leader = [claim.leader?.name ?? null, claim.leader?.epoch ?? null];
    return (
      (await this.#sql.run(q.CLAIM_FINDING, [claim.id, claim.owner, claim.now, ...leader])) === 1
    );
  }

  async settleFinding(
    id: number,
    status: 'handled' | 'failed',
    outcome: string,
    now: number,
  ): Promise<void> {
    await this.#sql.run(q.SETTLE_FINDING, [id, status, outcome, now]);
  }

  async listFindings(filter: FindingFilter = {}): Promise<StoredFinding[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    for (const [field, column] of [
      ['kind', 'kind'],
      ['status', 'status'],
      ['jobId', 'job_id'],
    ] as const) {
      if (filter[field] === undefined) continue;
      params.push(filter[field]);
      conditions.push(`${column} = $${params.length}`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    params.push(filter.limit ?? 100);
    const sql = `SELECT * FROM monitor_findings ${where} ORDER BY id DESC LIMIT $${params.length}`;
    return this.#findings(await this.#sql.all(sql, params));
  }

  async listOpenFindings(before: number, limit: number): Promise<StoredFinding[]> {
    return this.#findings(await this.#sql.all(this.#listOpen, [before, limit]));
  }

  async abandonFindings(before: number, now: number): Promise<StoredFinding[]> {
    return this.#findings(await this.#sql.all(this.#abandon, [before, now]));
  }

  async countFindings(): Promise<FindingCount[]> {
    const counts = await this.#sql.all(q.COUNT_FINDINGS);
    return counts.map((row) => ({
      kind: String(row.kind),
      status: row.status as FindingStatus,
      count: Number(row.n),
    }));
  }

  addDurationSamples(samples: readonly DurationSample[], keep: number): Promise<void> {
    if (samples.length === 0) return Promise.resolve();
    return this.#engine.addDurationSamples(samples, keep);
  }

  async listDurationHistory(perKey: number): Promise<DurationHistory[]> {
    return groupDurations(await this.#sql.all(q.LIST_DURATIONS, [perKey]));
  }

  async countOccurrences(baselineSince: number, recentSince: number): Promise<OccurrenceCounts[]> {
    const counts = await this.#sql.all(q.COUNT_OCCURRENCES, [baselineSince, recentSince]);
    return counts.map((row) => ({
      patternId: String(row.pattern_id),
      recent: Number(row.recent),
      baseline: Number(row.baseline),
    }));
  }

  revokeLease(write: Fenced & { error: JobError }, now: number): Promise<Job | undefined> {
    return this.#revocations.revokeLease(write, now);
  }

  #findings(stored: readonly Row[]): StoredFinding[] {
    return stored.map((row) => rowToFinding(row, this.#sql.dialect.codec));
  }
}
