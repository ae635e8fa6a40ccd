import { randomUUID } from 'node:crypto';
import type { Json, Pattern, PatternOccurrence } from '../../core/types.js';
import { nativeCodec, rowToOccurrence, rowToPattern } from '../row-mapping.js';
import type { NewOccurrence, PatternFilter, PatternUpsert } from '../store.js';
import * as q from './queries.js';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** Longest chain of merges followed when resolving a pattern. */
const MAX_MERGE_HOPS = 16;

/**
 * The pattern-book half of the PostgreSQL store (patterns, occurrences, engine state), kept apart
 * so that the job half stays readable. @internal
 */
export class PostgresPatterns {
  #query: Query;

  constructor(query: Query) {
    this.#query = query;
  }

  async upsertPattern(pattern: PatternUpsert, now: number): Promise<Pattern> {
    const [stored] = await this.#query(q.UPSERT_PATTERN, [
      randomUUID(),
      pattern.patternKey,
      pattern.template,
      pattern.category,
      pattern.transient,
      pattern.rootCause,
      JSON.stringify(pattern.remedies),
      pattern.prevention,
      JSON.stringify(pattern.facts),
      pattern.source,
      pattern.confidence,
      pattern.example,
      now,
    ]);
    if (stored) return rowToPattern(stored, nativeCodec);
    // The key was merged: the occurrence counts on the pattern that survived.
    const survivor = await this.#resolvePattern(pattern.patternKey);
    const [bumped] = await this.#query(q.BUMP_PATTERN, [survivor?.id, now]);
    if (!bumped) throw new Error(`pattern ${pattern.patternKey} vanished during upsert`);
    return rowToPattern(bumped, nativeCodec);
  }

  async getPattern(idOrKey: string): Promise<Pattern | undefined> {
    const row = await this.#resolvePattern(idOrKey);
    return row ? rowToPattern(row, nativeCodec) : undefined;
  }

  async listPatterns(filter: PatternFilter = {}): Promise<Pattern[]> {
    const sql =
      filter.orderBy === 'occurrences'
        ? q.LIST_PATTERNS_BY_OCCURRENCES
        : q.LIST_PATTERNS_BY_LAST_SEEN;
    const rows = await this.#query(sql, [
      filter.category ?? null,
      filter.limit ?? 100,
      filter.offset ?? 0,
    ]);
    return rows.map((row) => rowToPattern(row, nativeCodec));
  }

  async mergePatterns(fromKey: string, intoId: string, now: number): Promise<Pattern | undefined> {
    const into = await this.#resolvePattern(intoId);
    if (!into) return undefined;
    const [row] = await this.#query(q.MERGE_PATTERN, [fromKey, into.id, now]);
    return row ? rowToPattern(row, nativeCodec) : undefined;
  }

  async recordOccurrence(occurrence: NewOccurrence, now: number): Promise<PatternOccurrence> {
    const [row] = await this.#query(q.INSERT_OCCURRENCE, [
      occurrence.patternId,
      occurrence.jobId ?? null,
      occurrence.attempt ?? null,
      occurrence.message,
      now,
      occurrence.signature ?? null,
    ]);
    return rowToOccurrence(row as Row);
  }

  async listOccurrences(patternId: string, limit = 100): Promise<PatternOccurrence[]> {
    return (await this.#query(q.LIST_OCCURRENCES, [patternId, limit])).map(rowToOccurrence);
  }

  async getState(key: string): Promise<Json | undefined> {
    const [row] = await this.#query(q.GET_STATE, [key]);
    return row ? (row.value as Json) : undefined;
  }

  async setState(key: string, value: Json, now: number): Promise<void> {
    await this.#query(q.SET_STATE, [key, JSON.stringify(value), now]);
  }

  /** The pattern row of an id or pattern key, following merges; undefined if unknown. */
  async #resolvePattern(idOrKey: string): Promise<Row | undefined> {
    let [row] = await this.#query(q.GET_PATTERN, [idOrKey]);
    // Bounded, so a merge cycle written by hand cannot hang the store.
    for (let hops = 0; row && row.merged_into !== null && hops < MAX_MERGE_HOPS; hops++) {
      [row] = await this.#query(q.GET_PATTERN, [row.merged_into]);
    }
    return row;
  }
}
