import type Database from 'better-sqlite3';
import type { ScheduleStore, ScheduleUpsert, StoredSchedule } from '../schedule-store.js';

type Row = Record<string, unknown>;

const toSchedule = (row: Row): StoredSchedule => ({
  name: row.name as string,
  type: row.type as string,
  spec: JSON.parse(row.spec as string) as StoredSchedule['spec'],
  nextRunAt: row.next_run_at as number,
  lastRunAt: (row.last_run_at as number | null) ?? null,
  lastJobId: (row.last_job_id as string | null) ?? null,
  updatedAt: row.updated_at as number,
});

/** Schedules in SQLite. @internal */
export class SqliteSchedules implements ScheduleStore {
  #db: Database.Database;
  #stmt: (sql: string) => Database.Statement;

  constructor(db: Database.Database, stmt: (sql: string) => Database.Statement) {
    this.#db = db;
    this.#stmt = stmt;
  }

  async saveSchedules(schedules: readonly ScheduleUpsert[], now: number): Promise<void> {
    const upsert = this.#stmt(`
      INSERT INTO megamind_schedules (name, type, spec, next_run_at, updated_at) VALUES (@name, @type, @spec, @nextRunAt, @now)
      ON CONFLICT (name) DO UPDATE SET type = excluded.type, spec = excluded.spec, next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
      WHERE megamind_schedules.spec <> excluded.spec OR megamind_schedules.type <> excluded.type`);
    this.#db.transaction(() => {
      for (const s of schedules)
        upsert.run({
          name: s.name,
          type: s.type,
          spec: JSON.stringify(s.spec),
          nextRunAt: s.nextRunAt,
          now,
        });
    })();
  }

  async listSchedules(): Promise<StoredSchedule[]> {
    return (this.#stmt('SELECT * FROM megamind_schedules ORDER BY name').all() as Row[]).map(
      toSchedule,
    );
  }

  async dueSchedules(now: number): Promise<StoredSchedule[]> {
    return (
      this.#stmt(
        'SELECT * FROM megamind_schedules WHERE next_run_at <= ? ORDER BY next_run_at',
      ).all(now) as Row[]
    ).map(toSchedule);
  }

  async advanceSchedule(
    name: string,
    expected: number,
    next: number,
    firedAt: number,
    jobId: string | null,
  ): Promise<boolean> {
    const info = this.#stmt(
      `
      UPDATE megamind_schedules SET next_run_at = @next, last_run_at = @firedAt, last_job_id = COALESCE(@jobId, last_job_id), updated_at = @firedAt
      WHERE name = @name AND next_run_at = @expected`,
    ).run({ name, expected, next, firedAt, jobId });
    return info.changes === 1;
  }
}
