import type { ScheduleStore, ScheduleUpsert, StoredSchedule } from '../schedule-store.js';
import { changes, type Row, type SqlRunner } from './sql-runner.js';

/**
 * $1 name $2 type $3 spec $4 next run $5 now — a schedule keeps its next slot unless its spec or
 * type changed.
 */
const SAVE_SCHEDULE = `
INSERT INTO megamind_schedules (name, type, spec, next_run_at, updated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (name) DO UPDATE SET type = excluded.type, spec = excluded.spec, next_run_at = excluded.next_run_at,
  updated_at = excluded.updated_at
WHERE megamind_schedules.spec <> excluded.spec OR megamind_schedules.type <> excluded.type`;

/** $1 now */
const DUE_SCHEDULES = `SELECT * FROM megamind_schedules WHERE next_run_at <= $1 ORDER BY next_run_at`;

/** $1 name $2 expected next run $3 next run $4 fired at $5 job id (NULL keeps the last one) */
const ADVANCE_SCHEDULE = `
UPDATE megamind_schedules SET next_run_at = $3, last_run_at = $4, last_job_id = COALESCE($5, last_job_id),
  updated_at = $4
WHERE name = $1 AND next_run_at = $2`;

/** Schedules, on either engine (see {@link ScheduleStore}). @internal */
export class SqlSchedules implements ScheduleStore {
  #sql: SqlRunner;

  constructor(sql: SqlRunner) {
    this.#sql = sql;
  }

  async saveSchedules(schedules: readonly ScheduleUpsert[], now: number): Promise<void> {
    if (schedules.length === 0) return;
    await this.#sql.transaction(function* () {
      for (const s of schedules)
        yield* changes(SAVE_SCHEDULE, [s.name, s.type, JSON.stringify(s.spec), s.nextRunAt, now]);
    });
  }

  async listSchedules(): Promise<StoredSchedule[]> {
    const rows = await this.#sql.all('SELECT * FROM megamind_schedules ORDER BY name');
    return rows.map((row) => this.#toSchedule(row));
  }

  async dueSchedules(now: number): Promise<StoredSchedule[]> {
    return (await this.#sql.all(DUE_SCHEDULES, [now])).map((row) => this.#toSchedule(row));
  }

  async advanceSchedule(
    name: string,
    expected: number,
    next: number,
    firedAt: number,
    jobId: string | null,
  ): Promise<boolean> {
    return (await this.#sql.run(ADVANCE_SCHEDULE, [name, expected, next, firedAt, jobId])) === 1;
  }

  #toSchedule(row: Row): StoredSchedule {
    return {
      name: row.name as string,
      type: row.type as string,
      spec: this.#sql.dialect.codec.json(row.spec) as StoredSchedule['spec'],
      nextRunAt: Number(row.next_run_at),
      lastRunAt: row.last_run_at === null ? null : Number(row.last_run_at),
      lastJobId: (row.last_job_id as string | null) ?? null,
      updatedAt: Number(row.updated_at),
    };
  }
}
