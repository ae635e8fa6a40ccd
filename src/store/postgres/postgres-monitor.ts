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
  nativeCodec,
  rowToAttempt,
  rowToFinding,
  rowToJob,
  rowToLeadership,
  rowToRunningJob,
} from '../row-mapping.js';
import * as q from './monitor-queries.js';
import { isJobId } from './job-ids.js';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** The monitor concern of the PostgreSQL store. @internal */
export class PostgresMonitor implements MonitorStore {
  #query: Query;
  #channel: string;

  constructor(query: Query, channel: string) {
    this.#query = query;
    this.#channel = channel;
  }

  async acquireLeadership(
    name: string,
    owner: string,
    ttlMs: number,
    now: number,
  ): Promise<Leadership | undefined> {
    const [row] = await this.#query(q.ACQUIRE_LEADERSHIP, [name, owner, ttlMs, now]);
    return row ? rowToLeadership(row) : undefined;
  }

  async resignLeadership(name: string, owner: string, epoch: number): Promise<void> {
    await this.#query(q.RESIGN_LEADERSHIP, [name, owner, epoch]);
  }

  async getLeadership(name: string): Promise<Leadership | undefined> {
    const [row] = await this.#query(q.GET_LEADERSHIP, [name]);
    return row ? rowToLeadership(row) : undefined;
  }

  async listRunningJobs(cutoffs?: RunningJobCutoffs): Promise<RunningJob[]> {
    const params = [
      !cutoffs,
      cutoffs?.now ?? 0,
      JSON.stringify(cutoffs?.rules ?? []),
      cutoffs?.defaultStuckAfterMs ?? 0,
      cutoffs?.predictFromPercent ?? 0,
    ];
    return (await this.#query(q.LIST_RUNNING, params)).map(rowToRunningJob);
  }

  async listAttemptsAfter(afterId: number, limit: number): Promise<RecentAttempt[]> {
    const rows = await this.#query(q.LIST_ATTEMPTS_AFTER, [afterId, limit]);
    return rows.map((row) => ({
      ...rowToAttempt(row, nativeCodec),
      id: Number(row.id),
      type: String(row.type),
    }));
  }

  async lastAttemptId(): Promise<number> {
    const [row] = await this.#query(q.LAST_ATTEMPT_ID);
    return Number(row?.id ?? 0);
  }

  async insertFindings(findings: readonly NewFinding[]): Promise<StoredFinding[]> {
    if (findings.length === 0) return [];
    const rows = findings.map((f) => ({
      key: f.key,
      kind: f.kind,
      job_id: f.jobId,
      job_type: f.jobType,
      pattern_id: f.patternId,
      summary: f.summary,
      evidence: f.evidence,
      detected_at: f.detectedAt,
      detected_by: f.detectedBy,
    }));
    const stored = await this.#query(q.INSERT_FINDINGS, [JSON.stringify(rows)]);
    return stored.map((row) => rowToFinding(row, nativeCodec)).sort((a, b) => a.id - b.id);
  }

  async claimFinding(claim: FindingClaim): Promise<boolean> {
    const params = [
      claim.id,
      claim.owner,
      claim.now,
      claim.leader?.name ?? null,
      claim.leader?.epoch ?? null,
    ];
    return (await this.#query(`${q.CLAIM_FINDING} RETURNING id`, params)).length === 1;
  }

  async settleFinding(
    id: number,
    status: 'handled' | 'failed',
    outcome: string,
    now: number,
  ): Promise<void> {
    await this.#query(q.SETTLE_FINDING, [id, status, outcome, now]);
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
    const rows = await this.#query(
      `SELECT * FROM monitor_findings ${where} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => rowToFinding(row, nativeCodec));
  }

  async listOpenFindings(before: number, limit: number): Promise<StoredFinding[]> {
    return (await this.#query(q.LIST_OPEN_FINDINGS, [before, limit])).map((row) =>
      rowToFinding(row, nativeCodec),
    );
  }

  async abandonFindings(before: number, now: number): Promise<StoredFinding[]> {
    return (await this.#query(q.ABANDON_FINDINGS, [before, now])).map((row) =>
      rowToFinding(row, nativeCodec),
    );
  }

  async countFindings(): Promise<FindingCount[]> {
    const rows = await this.#query(q.COUNT_FINDINGS);
    return rows.map((row) => ({
      kind: String(row.kind),
      status: row.status as FindingStatus,
      count: Number(row.n),
    }));
  }

  async addDurationSamples(samples: readonly DurationSample[], keep: number): Promise<void> {
    if (samples.length === 0) return;
    const rows = samples.map((s) => ({
      type: s.type,
      stage: s.stage,
      duration_ms: Math.round(s.durationMs),
      at: s.at,
    }));
    await this.#query(q.ADD_SAMPLES, [JSON.stringify(rows), keep]);
  }

  async listDurationHistory(perKey: number): Promise<DurationHistory[]> {
    return groupDurations(await this.#query(q.LIST_DURATIONS, [perKey]));
  }

  async countOccurrences(baselineSince: number, recentSince: number): Promise<OccurrenceCounts[]> {
    const rows = await this.#query(q.COUNT_OCCURRENCES, [baselineSince, recentSince]);
    return rows.map((row) => ({
      patternId: String(row.pattern_id),
      recent: Number(row.recent),
      baseline: Number(row.baseline),
    }));
  }

  async revokeLease(write: Fenced & { error: JobError }, now: number): Promise<Job | undefined> {
    if (!isJobId(write.id)) return undefined;
    const [row] = await this.#query(q.REVOKE_LEASE, [
      write.id,
      write.token,
      JSON.stringify(write.error),
      now,
      this.#channel,
    ]);
    return row ? rowToJob(row, nativeCodec) : undefined;
  }
}
