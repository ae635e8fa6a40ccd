import type Database from 'better-sqlite3';
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
  rowToJob,
  rowToLeadership,
  rowToRunningJob,
  textCodec,
} from '../row-mapping.js';
import * as q from './monitor-queries.js';
import { recordAttemptEnd } from './sqlite-lease-writes.js';

type Row = Record<string, unknown>;

/** The monitor concern of the SQLite store. @internal */
export class SqliteMonitor implements MonitorStore {
  #db: Database.Database;
  #stmt: (sql: string) => Database.Statement;
  #wake: (types: string[]) => void;

  constructor(
    db: Database.Database,
    stmt: (sql: string) => Database.Statement,
    wake: (types: string[]) => void,
  ) {
    this.#db = db;
    this.#stmt = stmt;
    this.#wake = wake;
  }

  async acquireLeadership(
    name: string,
    owner: string,
    ttlMs: number,
    now: number,
  ): Promise<Leadership | undefined> {
    const acquire = this.#stmt(q.ACQUIRE_LEADERSHIP);
    const row = this.#db
      .transaction(() => acquire.get({ name, owner, ttlMs, now }) as Row | undefined)
      .immediate();
    return row ? rowToLeadership(row) : undefined;
  }

  async resignLeadership(name: string, owner: string, epoch: number): Promise<void> {
    this.#stmt(q.RESIGN_LEADERSHIP).run({ name, owner, epoch });
  }

  async getLeadership(name: string): Promise<Leadership | undefined> {
    const row = this.#stmt(q.GET_LEADERSHIP).get({ name }) as Row | undefined;
    return row ? rowToLeadership(row) : undefined;
  }

  async listRunningJobs(cutoffs?: RunningJobCutoffs): Promise<RunningJob[]> {
    const params = {
      all: cutoffs ? 0 : 1,
      now: cutoffs?.now ?? 0,
      rules: JSON.stringify(cutoffs?.rules ?? []),
      defaultStuck: cutoffs?.defaultStuckAfterMs ?? 0,
      predictFromPercent: cutoffs?.predictFromPercent ?? 0,
    };
    return (this.#stmt(q.LIST_RUNNING).all(params) as Row[]).map(rowToRunningJob);
  }

  async listAttemptsAfter(afterId: number, limit: number): Promise<RecentAttempt[]> {
    const rows = this.#stmt(q.LIST_ATTEMPTS_AFTER).all({ afterId, limit }) as Row[];
    return rows.map((row) => ({
      ...rowToAttempt(row, textCodec),
      id: Number(row.id),
      type: String(row.type),
    }));
  }

  async lastAttemptId(): Promise<number> {
    return Number((this.#stmt(q.LAST_ATTEMPT_ID).get() as Row).id);
  }

  async insertFindings(findings: readonly NewFinding[]): Promise<StoredFinding[]> {
    if (findings.length === 0) return [];
    const insert = this.#stmt(q.INSERT_FINDING);
    const rows = this.#db
      .transaction(() =>
        findings.flatMap((f) => {
          const row = insert.get({ ...f, evidence: JSON.stringify(f.evidence) }) as Row | undefined;
          return row ? [row] : [];
        }),
      )
      .immediate();
    return rows.map((row) => rowToFinding(row, textCodec));
  }

  async claimFinding(claim: FindingClaim): Promise<boolean> {
    const params = {
      id: claim.id,
      owner: claim.owner,
      now: claim.now,
      leader: claim.leader?.name ?? null,
      epoch: claim.leader?.epoch ?? null,
    };
    return this.#stmt(q.CLAIM_FINDING).run(params).changes === 1;
  }

  async settleFinding(
    id: number,
    status: 'handled' | 'failed',
    outcome: string,
    now: number,
  ): Promise<void> {
    this.#stmt(q.SETTLE_FINDING).run({ id, status, outcome, now });
  }

  async listFindings(filter: FindingFilter = {}): Promise<StoredFinding[]> {
    const conditions: string[] = [];
    for (const [field, column] of [
      ['kind', 'kind'],
      ['status', 'status'],
      ['jobId', 'job_id'],
    ] as const) {
      if (filter[field] !== undefined) conditions.push(`${column} = @${field}`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const sql = `SELECT * FROM monitor_findings ${where} ORDER BY id DESC LIMIT @limit`;
    const rows = this.#stmt(sql).all({ ...filter, limit: filter.limit ?? 100 }) as Row[];
    return rows.map((row) => rowToFinding(row, textCodec));
  }

  async listOpenFindings(before: number, limit: number): Promise<StoredFinding[]> {
    return (this.#stmt(q.LIST_OPEN_FINDINGS).all({ before, limit }) as Row[]).map((row) =>
      rowToFinding(row, textCodec),
    );
  }

  async abandonFindings(before: number, now: number): Promise<StoredFinding[]> {
    return (this.#stmt(q.ABANDON_FINDINGS).all({ before, now }) as Row[]).map((row) =>
      rowToFinding(row, textCodec),
    );
  }

  async countFindings(): Promise<FindingCount[]> {
    const rows = this.#stmt(q.COUNT_FINDINGS).all() as Row[];
    return rows.map((row) => ({
      kind: String(row.kind),
      status: row.status as FindingStatus,
      count: Number(row.n),
    }));
  }

  async addDurationSamples(samples: readonly DurationSample[], keep: number): Promise<void> {
    if (samples.length === 0) return;
    const insert = this.#stmt(q.INSERT_SAMPLE);
    const prune = this.#stmt(q.PRUNE_SAMPLES);
    this.#db
      .transaction(() => {
        const keys = new Map<string, { type: string; stage: string }>();
        for (const sample of samples) {
          insert.run(sample);
          keys.set(`${sample.type}\u0000${sample.stage}`, {
            type: sample.type,
            stage: sample.stage,
          });
        }
        for (const key of keys.values()) prune.run({ ...key, keep });
      })
      .immediate();
  }

  async listDurationHistory(perKey: number): Promise<DurationHistory[]> {
    return groupDurations(this.#stmt(q.LIST_DURATIONS).all({ perKey }) as Row[]);
  }

  async countOccurrences(baselineSince: number, recentSince: number): Promise<OccurrenceCounts[]> {
    const rows = this.#stmt(q.COUNT_OCCURRENCES).all({ baselineSince, recentSince }) as Row[];
    return rows.map((row) => ({
      patternId: String(row.pattern_id),
      recent: Number(row.recent),
      baseline: Number(row.baseline),
    }));
  }

  async revokeLease(write: Fenced & { error: JobError }, now: number): Promise<Job | undefined> {
    const revoke = this.#stmt(q.REVOKE_LEASE);
    const error = JSON.stringify(write.error);
    const row = this.#db
      .transaction(() => {
        if (!recordAttemptEnd(this.#stmt, write, 'revoked', error, now)) return undefined;
        return revoke.get({ id: write.id, token: write.token, error, now }) as Row;
      })
      .immediate();
    if (!row) return undefined;
    const job = rowToJob(row, textCodec);
    if (job.status === 'queued') this.#wake([job.type]);
    return job;
  }
}
