import type pg from 'pg';
import { OrchestratorError } from '../../core/errors.js';
import { nativeCodec } from '../row-mapping.js';
import type { Row, SqlDialect, SqlRunner, SqlTransaction } from '../sql/sql-runner.js';
import { mapConnectionError, statementName } from './postgres-connection.js';

/** PostgreSQL's side of {@link SqlDialect}: jsonb and booleans arrive parsed; no planner hints. */
const POSTGRES_DIALECT: SqlDialect = {
  codec: nativeCodec,
  bool: (value) => value,
  indexedBy: () => '',
  list: (values) => [...values],
  inList: (param) => `= ANY(CAST(${param} AS TEXT[]))`,
  greatest: 'GREATEST',
  least: 'LEAST',
  forUpdate: 'FOR UPDATE',
  randomBelow: (bound) => `floor(random() * (${bound}))::bigint`,
  tieBreak: (key) => key,
};

/**
 * The concerns' {@link SqlRunner} over the store's pool. Statements are prepared once per
 * connection under a name derived from their text, as the job path's are. @internal
 */
export class PostgresSqlRunner implements SqlRunner {
  readonly dialect = POSTGRES_DIALECT;
  #pool: pg.Pool;
  #connectionString: string;
  #closed: () => boolean;

  constructor(pool: pg.Pool, connectionString: string, closed: () => boolean) {
    this.#pool = pool;
    this.#connectionString = connectionString;
    this.#closed = closed;
  }

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.#on(this.#pool, sql, params)).rows as Row[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.#on(this.#pool, sql, params)).rowCount ?? 0;
  }

  write(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.all(sql, params);
  }

  async transaction<T>(work: () => SqlTransaction<T>): Promise<T> {
    this.#checkOpen();
    const client = await this.#pool.connect().catch((error: unknown) => {
      throw mapConnectionError(error, this.#connectionString);
    });
    try {
      await client.query('BEGIN');
      const result = await this.#drive(client, work());
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw mapConnectionError(error, this.#connectionString);
    } finally {
      client.release();
    }
  }

  sequence<T>(work: () => SqlTransaction<T>): Promise<T> {
    return this.#drive(this.#pool, work());
  }

  /** Answers each statement `steps` yields, in turn, on `target`. */
  async #drive<T>(target: pg.Pool | pg.PoolClient, steps: SqlTransaction<T>): Promise<T> {
    let step = steps.next();
    while (!step.done) {
      const result = await this.#on(target, step.value.sql, step.value.params);
      step = steps.next(step.value.kind === 'all' ? result.rows : (result.rowCount ?? 0));
    }
    return step.value;
  }

  async #on(
    target: pg.Pool | pg.PoolClient,
    sql: string,
    params: readonly unknown[],
  ): Promise<pg.QueryResult> {
    this.#checkOpen();
    try {
      return await target.query({ name: statementName(sql), text: sql, values: [...params] });
    } catch (error) {
      throw mapConnectionError(error, this.#connectionString);
    }
  }

  #checkOpen(): void {
    if (this.#closed())
      throw new OrchestratorError('ERR_STORE_CLOSED', 'the PostgreSQL store is closed');
  }
}
