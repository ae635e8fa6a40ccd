import type { ScheduleStore, ScheduleUpsert, StoredSchedule } from '../schedule-store.js';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

const toSchedule = (row: Row): StoredSchedule => ({
  name: row.name as string,
  type: row.type as string,
  spec: row.spec as StoredSchedule['spec'],
  nextRunAt: Number(row.next_run_at),
  lastRunAt: row.last_run_at === null ? null : Number(row.last_run_at),
  lastJobId: (row.last_job_id as string | null) ?? null,
  updatedAt: Number(row.updated_at),
});

/** Schedules in PostgreSQL. @internal */
export class PostgresSchedules implements ScheduleStore {
  #query: Query;

  constructor(query: Query) {
    this.#query = query;
  }

  async saveSchedules(schedules: readonly ScheduleUpsert[], now: number): Promise<void> {
    if (schedules.length === 0) return;
    await this.#query(
      `INSERT INTO megamind_schedules (name, type, spec, next_run_at, updated_at)
       SELECT name, type, spec, next_run_at, $2 FROM jsonb_to_recordset($1::jsonb) AS s(name text, type text, spec jsonb, next_run_at bigint)
       ON CONFLICT (name) DO UPDATE SET type = excluded.type, spec = excluded.spec, next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
       WHERE megamind_schedules.spec <> excluded.spec OR megamind_schedules.type <> excluded.type`,
      [
        JSON.stringify(
          schedules.map((s) => ({
            name: s.name,
            type: s.type,
            spec: s.spec,
            next_run_at: s.nextRunAt,
          })),
        ),
        now,
      ],
    );
  }

  async listSchedules(): Promise<StoredSchedule[]> {
    return (await this.#query('SELECT * FROM megamind_schedules ORDER BY name')).map(toSchedule);
  }

  async dueSchedules(now: number): Promise<StoredSchedule[]> {
    return (
      await this.#query(
        'SELECT * FROM megamind_schedules WHERE next_run_at <= $1 ORDER BY next_run_at',
        [now],
      )
    ).map(toSchedule);
  }

  async advanceSchedule(
    name: string,
    expected: number,
    next: number,
    firedAt: number,
    jobId: string | null,
  ): Promise<boolean> {
    const rows = await this.#query(
      `UPDATE megamind_schedules SET next_run_at = $3, last_run_at = $4, last_job_id = COALESCE($5::uuid, last_job_id), updated_at = $4
       WHERE name = $1 AND next_run_at = $2 RETURNING name`,
      [name, expected, next, firedAt, jobId],
    );
    return rows.length === 1;
  }
}
