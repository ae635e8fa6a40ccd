import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../core/state-store.js';
import type { Json, Pattern, PatternOccurrence } from '../../core/types.js';
import type {
  NewOccurrence,
  PatternFilter,
  PatternStore,
  PatternUpsert,
} from '../../patterns/pattern-store.js';
import { rowToOccurrence, rowToPattern } from '../row-mapping.js';
import * as q from './pattern-queries.js';
import { changes, rows, type Row, type SqlRunner, type SqlTransaction } from './sql-runner.js';

/** Longest chain of merges followed when resolving a pattern. */
const MAX_MERGE_HOPS = 16;

/** The pattern row of an id or pattern key, following merges; undefined if unknown. */
function* resolvePattern(idOrKey: string): SqlTransaction<Row | undefined> {
  let [row] = yield* rows(q.GET_PATTERN, [idOrKey]);
  // Bounded, so a merge cycle written by hand cannot hang the store.
  for (let hops = 0; row && row.merged_into !== null && hops < MAX_MERGE_HOPS; hops++)
    [row] = yield* rows(q.GET_PATTERN, [row.merged_into]);
  return row;
}

/**
 * The pattern book's tables (patterns, occurrences, engine state), on either engine, kept apart
 * so that the job half of each store stays readable. @internal
 */
export class SqlPatterns implements PatternStore, StateStore {
  #sql: SqlRunner;
  #q: ReturnType<typeof q.patternQueries>;

  constructor(sql: SqlRunner) {
    this.#sql = sql;
    this.#q = q.patternQueries(sql.dialect);
  }

  async upsertPattern(pattern: PatternUpsert, now: number): Promise<Pattern> {
    const [stored] = await this.#sql.write(this.#q.UPSERT_PATTERN, [
      randomUUID(),
      pattern.patternKey,
      pattern.template,
      pattern.category,
      this.#sql.dialect.bool(pattern.transient),
      pattern.rootCause,
      JSON.stringify(pattern.remedies),
      pattern.prevention,
      JSON.stringify(pattern.facts),
      pattern.source,
      pattern.confidence,
      pattern.example,
      now,
    ]);
    if (stored) return this.#pattern(stored);
    // The key was merged: the occurrence counts on the pattern that survived.
    const bump = this.#q.BUMP_PATTERN;
    const bumped = await this.#sql.transaction(function* () {
      const survivor = yield* resolvePattern(pattern.patternKey);
      return (yield* rows(bump, [survivor?.id, now]))[0];
    });
    if (!bumped) throw new Error(`pattern ${pattern.patternKey} vanished during upsert`);
    return this.#pattern(bumped);
  }

  async getPattern(idOrKey: string): Promise<Pattern | undefined> {
    const row = await this.#sql.sequence(() => resolvePattern(idOrKey));
    return row ? this.#pattern(row) : undefined;
  }

  async listPatterns(filter: PatternFilter = {}): Promise<Pattern[]> {
    const sql =
      filter.orderBy === 'occurrences'
        ? q.LIST_PATTERNS_BY_OCCURRENCES
        : q.LIST_PATTERNS_BY_LAST_SEEN;
    const page = [filter.category ?? null, filter.limit ?? 100, filter.offset ?? 0];
    return (await this.#sql.all(sql, page)).map((row) => this.#pattern(row));
  }

  async mergePatterns(fromKey: string, intoId: string, now: number): Promise<Pattern | undefined> {
    const { MERGED_PATTERN, ABSORB_PATTERN } = this.#q;
    const row = await this.#sql.transaction(function* () {
      const [from] = yield* rows(MERGED_PATTERN, [fromKey]);
      const into = yield* resolvePattern(intoId);
      if (!from || !into || from.merged_into !== null || into.id === from.id) return undefined;
      const [survivor] = yield* rows(ABSORB_PATTERN, [
        into.id,
        from.occurrence_count,
        from.success_count,
        from.failure_count,
        from.first_seen,
        from.last_seen,
        now,
      ]);
      if (survivor) yield* changes(q.MARK_MERGED, [from.id, into.id, now]);
      return survivor;
    });
    return row ? this.#pattern(row) : undefined;
  }

  async recordOccurrence(occurrence: NewOccurrence, now: number): Promise<PatternOccurrence> {
    const [row] = await this.#sql.all(q.INSERT_OCCURRENCE, [
      occurrence.patternId,
      occurrence.jobId ?? null,
      occurrence.attempt ?? null,
      occurrence.message,
      now,
      occurrence.signature ?? null,
    ]);
    return rowToOccurrence(row!);
  }

  async listOccurrences(patternId: string, limit = 100): Promise<PatternOccurrence[]> {
    return (await this.#sql.all(q.LIST_OCCURRENCES, [patternId, limit])).map(rowToOccurrence);
  }

  async getState(key: string): Promise<Json | undefined> {
    const [row] = await this.#sql.all(q.GET_STATE, [key]);
    return row ? (this.#sql.dialect.codec.json(row.value) as Json) : undefined;
  }

  async setState(key: string, value: Json, now: number): Promise<void> {
    await this.#sql.run(q.SET_STATE, [key, JSON.stringify(value), now]);
  }

  #pattern(row: Row): Pattern {
    return rowToPattern(row, this.#sql.dialect.codec);
  }
}
