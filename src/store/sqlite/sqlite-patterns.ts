import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Json, Pattern, PatternOccurrence } from '../../core/types.js';
import { rowToOccurrence, rowToPattern, textCodec } from '../row-mapping.js';
import type { NewOccurrence, PatternFilter, PatternUpsert } from '../store.js';
import * as q from './queries.js';

type Row = Record<string, unknown>;

/** Longest chain of merges followed when resolving a pattern. */
const MAX_MERGE_HOPS = 16;

/**
 * The pattern-book half of the SQLite store (patterns, occurrences, engine state), kept apart so
 * that the job half stays readable. @internal
 */
export class SqlitePatterns {
  #db: Database.Database;
  #stmt: (sql: string) => Database.Statement;

  constructor(db: Database.Database, stmt: (sql: string) => Database.Statement) {
    this.#db = db;
    this.#stmt = stmt;
  }

  async upsertPattern(pattern: PatternUpsert, now: number): Promise<Pattern> {
    const upsert = this.#stmt(q.UPSERT_PATTERN);
    const bump = this.#stmt(q.BUMP_PATTERN);
    const row = this.#db
      .transaction((): Row => {
        const stored = upsert.get({
          id: randomUUID(),
          patternKey: pattern.patternKey,
          template: pattern.template,
          category: pattern.category,
          transient: pattern.transient ? 1 : 0,
          rootCause: pattern.rootCause,
          solution: JSON.stringify(pattern.remedies),
          prevention: pattern.prevention,
          facts: JSON.stringify(pattern.facts),
          source: pattern.source,
          confidence: pattern.confidence,
          example: pattern.example,
          now,
        }) as Row | undefined;
        if (stored) return stored;
        // The key was merged: the occurrence counts on the pattern that survived.
        const survivor = this.#resolvePattern(pattern.patternKey) as Row;
        return bump.get({ id: survivor.id, now }) as Row;
      })
      .immediate();
    return rowToPattern(row, textCodec);
  }

  async getPattern(idOrKey: string): Promise<Pattern | undefined> {
    const row = this.#resolvePattern(idOrKey);
    return row ? rowToPattern(row, textCodec) : undefined;
  }

  async listPatterns(filter: PatternFilter = {}): Promise<Pattern[]> {
    const sql =
      filter.orderBy === 'occurrences'
        ? q.LIST_PATTERNS_BY_OCCURRENCES
        : q.LIST_PATTERNS_BY_LAST_SEEN;
    const rows = this.#stmt(sql).all({
      category: filter.category ?? null,
      limit: filter.limit ?? 100,
      offset: filter.offset ?? 0,
    }) as Row[];
    return rows.map((row) => rowToPattern(row, textCodec));
  }

  async mergePatterns(fromKey: string, intoId: string, now: number): Promise<Pattern | undefined> {
    const absorb = this.#stmt(q.ABSORB_PATTERN);
    const mark = this.#stmt(q.MARK_MERGED);
    const row = this.#db
      .transaction((): Row | undefined => {
        const from = this.#stmt(q.GET_PATTERN).get({ key: fromKey }) as Row | undefined;
        const into = this.#resolvePattern(intoId);
        if (
          !from ||
          !into ||
          from.merged_into !== null ||
          from.pattern_key !== fromKey ||
          into.id === from.id
        )
          return undefined;
        const survivor = absorb.get({
          into: into.id,
          occurrences: from.occurrence_count,
          successes: from.success_count,
          failures: from.failure_count,
          firstSeen: from.first_seen,
          lastSeen: from.last_seen,
          now,
        }) as Row | undefined;
        if (survivor) mark.run({ from: from.id, into: into.id, now });
        return survivor;
      })
      .immediate();
    return row ? rowToPattern(row, textCodec) : undefined;
  }

  async recordOccurrence(occurrence: NewOccurrence, now: number): Promise<PatternOccurrence> {
    const row = this.#stmt(q.INSERT_OCCURRENCE).get({
      patternId: occurrence.patternId,
      jobId: occurrence.jobId ?? null,
      attempt: occurrence.attempt ?? null,
      message: occurrence.message,
      signature: occurrence.signature ?? null,
      now,
    }) as Row;
    return rowToOccurrence(row);
  }

  async listOccurrences(patternId: string, limit = 100): Promise<PatternOccurrence[]> {
    return (this.#stmt(q.LIST_OCCURRENCES).all({ patternId, limit }) as Row[]).map(rowToOccurrence);
  }

  async getState(key: string): Promise<Json | undefined> {
    const row = this.#stmt(q.GET_STATE).get({ key }) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as Json) : undefined;
  }

  async setState(key: string, value: Json, now: number): Promise<void> {
    this.#stmt(q.SET_STATE).run({ key, value: JSON.stringify(value), now });
  }

  /** The pattern row of an id or pattern key, following merges; undefined if unknown. */
  #resolvePattern(idOrKey: string): Row | undefined {
    const get = this.#stmt(q.GET_PATTERN);
    let row = get.get({ key: idOrKey }) as Row | undefined;
    // Bounded, so a merge cycle written by hand cannot hang the store.
    for (let hops = 0; row && row.merged_into !== null && hops < MAX_MERGE_HOPS; hops++) {
      row = get.get({ key: row.merged_into }) as Row | undefined;
    }
    return row;
  }
}
