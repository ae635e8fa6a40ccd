import Database from 'better-sqlite3';
import pg from 'pg';
import type { ValidationStatus } from '../../src/store/store.js';
import { TEST_DATABASE_URL, type TestDatabase } from './stores.js';

/** A row of `ai_improvement_logs` as the healer writes it. */
export interface ImprovementRow {
  id: string;
  jobId?: string | null;
  patternId: string | null;
  action: string;
  status: ValidationStatus;
  /** True when the heal saw its pattern for the first time. @default false */
  patternNew?: boolean;
  /** What the healer detected. @default { message: 'boom', category: 'network' } */
  detected?: Record<string, unknown>;
  confidence?: number;
  at: number;
}

/**
 * Writes improvement log rows straight into a test database, so a test of a reader (the API, the
 * dashboard, statistics) decides exactly what the log holds without running the healer.
 */
export async function insertImprovements(
  db: TestDatabase,
  rows: readonly ImprovementRow[],
): Promise<void> {
  const sql = `INSERT INTO ai_improvement_logs (id, job_id, pattern_id, action, changes_applied, before_metrics, validation_status, confidence, created_at, validated_at, pattern_new, detected)
    VALUES ($1, $2, $3, $4, '{"knobs":{}}', '{"attempts":1}', $5, $6, $7, $8, $9, $10)`;
  const values = (row: ImprovementRow) => [
    row.id,
    row.jobId ?? null,
    row.patternId,
    row.action,
    row.status,
    row.confidence ?? 0.5,
    row.at,
    row.status === 'pending' ? null : row.at,
    db.engine === 'sqlite' ? Number(row.patternNew ?? false) : (row.patternNew ?? false),
    JSON.stringify(row.detected ?? { message: 'boom', category: 'network' }),
  ];
  if (db.engine === 'sqlite') {
    const sqlite = new Database(db.database);
    try {
      const insert = sqlite.prepare(sql.replace(/\$\d+/g, '?'));
      for (const row of rows) insert.run(...values(row));
    } finally {
      sqlite.close();
    }
    return;
  }
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: `-c search_path=${db.schema}`,
  });
  await client.connect();
  try {
    for (const row of rows) await client.query(sql, values(row));
  } finally {
    await client.end();
  }
}
