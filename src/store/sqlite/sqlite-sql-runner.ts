import type Database from 'better-sqlite3';
import { textCodec } from '../row-mapping.js';
import type { Row, SqlDialect, SqlRunner, SqlStep, SqlTransaction } from '../sql/sql-runner.js';
import type { Immediate } from './sqlite-lease-writes.js';

/** SQLite's side of {@link SqlDialect}: JSON as text, booleans as 0/1, planner hints. */
const SQLITE_DIALECT: SqlDialect = {
  codec: textCodec,
  bool: (value) => (value ? 1 : 0),
  indexedBy: (index) => `INDEXED BY ${index}`,
  list: (values) => JSON.stringify(values),
  inList: (param) => `IN (SELECT value FROM json_each(${param}))`,
  greatest: 'MAX',
  least: 'MIN',
  forUpdate: '',
  // random() is a signed 64-bit integer: masked to 31 bits it cannot overflow or go negative.
  randomBelow: (bound) => `(random() & 2147483647) % (${bound})`,
  tieBreak: () => 'rowid',
};

/** `$1, $2, …` are parameters named "1", "2", … to better-sqlite3. */
function bind(params: readonly unknown[]): Record<number, unknown> {
  const named: Record<number, unknown> = {};
  for (let i = 0; i < params.length; i += 1) named[i + 1] = params[i];
  return named;
}

/**
 * The concerns' {@link SqlRunner} over the store's one connection. Every call runs synchronously
 * with SQLite's busy wait raised (`longBusy`): these calls are off the worker's path and may wait
 * for another process's lock as long as the store allows. @internal
 */
export class SqliteSqlRunner implements SqlRunner {
  readonly dialect = SQLITE_DIALECT;
  #stmt: (sql: string) => Database.Statement;
  #immediate: Immediate;
  #longBusy: <T>(call: () => T) => T;

  constructor(
    stmt: (sql: string) => Database.Statement,
    immediate: Immediate,
    longBusy: <T>(call: () => T) => T,
  ) {
    this.#stmt = stmt;
    this.#immediate = immediate;
    this.#longBusy = longBusy;
  }

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.#longBusy(() => this.#stmt(sql).all(bind(params)) as Row[]);
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.#longBusy(() => this.#stmt(sql).run(bind(params)).changes);
  }

  async write(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.#longBusy(() => this.#immediate(() => this.#stmt(sql).all(bind(params)) as Row[]));
  }

  async transaction<T>(work: () => SqlTransaction<T>): Promise<T> {
    return this.#longBusy(() => this.#immediate(() => this.#drive(work())));
  }

  async sequence<T>(work: () => SqlTransaction<T>): Promise<T> {
    return this.#longBusy(() => this.#drive(work()));
  }

  /** Answers each statement `steps` yields, synchronously, so nothing else runs in between. */
  #drive<T>(steps: SqlTransaction<T>): T {
    let step = steps.next();
    while (!step.done) step = steps.next(this.#answer(step.value));
    return step.value;
  }

  #answer(step: SqlStep): unknown {
    const statement = this.#stmt(step.sql);
    return step.kind === 'all'
      ? statement.all(bind(step.params))
      : statement.run(bind(step.params)).changes;
  }
}
