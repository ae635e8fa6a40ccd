import type { ColumnCodec } from '../row-mapping.js';

/** A result row, by column name. */
export type Row = Record<string, unknown>;

/** One statement of a transaction, answered with its rows (`all`) or its changed-row count (`run`). */
export interface SqlStep {
  kind: 'all' | 'run';
  sql: string;
  params: readonly unknown[];
}

/**
 * A transaction written once for both engines: it yields its statements and is handed each
 * one's answer. SQLite runs it synchronously inside one immediate transaction (nothing else on the
 * connection can run between its statements); PostgreSQL awaits each on one connection between
 * BEGIN and COMMIT.
 */
export type SqlTransaction<T> = Generator<SqlStep, T, unknown>;

/** Yields a statement inside a {@link SqlTransaction} and returns its rows. */
export function* rows(sql: string, params: readonly unknown[] = []): SqlTransaction<Row[]> {
  return (yield { kind: 'all', sql, params }) as Row[];
}

/** Yields a statement inside a {@link SqlTransaction} and returns how many rows it changed. */
export function* changes(sql: string, params: readonly unknown[] = []): SqlTransaction<number> {
  return (yield { kind: 'run', sql, params }) as number;
}

/** What differs in the SQL text and the values of the two engines, beyond their placeholders. */
export interface SqlDialect {
  /** How JSON and boolean columns read back. */
  readonly codec: ColumnCodec;
  /** A boolean parameter: PostgreSQL binds `true`/`false`, SQLite 1/0. */
  bool(value: boolean): boolean | number;
  /** `INDEXED BY index` on SQLite, whose planner must be told; nothing on PostgreSQL. */
  indexedBy(index: string): string;
  /** A list parameter for {@link SqlDialect.inList}: a text[] on PostgreSQL, a JSON array on SQLite. */
  list(values: readonly string[]): unknown;
  /** `IN` the list parameter `param` (see {@link SqlDialect.list}). */
  inList(param: string): string;
  /** The larger of two values: GREATEST on PostgreSQL, two-argument MAX on SQLite. */
  readonly greatest: string;
  /** The smaller of two values: LEAST on PostgreSQL, two-argument MIN on SQLite. */
  readonly least: string;
  /** Locks the rows a SELECT reads until the transaction ends; SQLite's transaction already holds the whole file. */
  readonly forUpdate: string;
  /** A random integer in [0, `bound`), `bound` an integer SQL expression. */
  randomBelow(bound: string): string;
  /**
   * What orders rows written in the same millisecond: SQLite's rowid (insertion order), or the
   * table's `key` on PostgreSQL, which has no such column.
   */
  tieBreak(key: string): string;
}

/**
 * The few calls a store concern makes, so that it is written once over either engine's
 * connection. Statements take positional parameters `$1, $2, …` on both engines (SQLite binds
 * `$1` as the parameter named "1"); PostgreSQL casts (`::text`) are spelled `CAST(… AS TEXT)`,
 * which both understand.
 */
export interface SqlRunner {
  readonly dialect: SqlDialect;
  /** The rows of one statement. */
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs one statement that returns no rows; resolves to how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * The rows of one statement that reads before it writes (an upsert deciding on the row it
   * finds). SQLite takes the write lock before the read, so a writer committing in between cannot
   * make the upgrade fail; PostgreSQL's row lock already serialises it.
   */
  write(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` as one transaction, rolled back if it throws. */
  transaction<T>(work: () => SqlTransaction<T>): Promise<T>;
  /**
   * Runs the statements of `work` one after another outside a transaction, for reads that
   * follow one row to the next (a chain of merged patterns).
   */
  sequence<T>(work: () => SqlTransaction<T>): Promise<T>;
}
