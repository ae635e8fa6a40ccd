import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Pattern } from '../../core/types.js';
import {
  CATEGORY_STATISTICS_SQL,
  HEAL_OUTCOMES_SQL,
  PATTERN_TOTALS_SQL,
  REMEDY_OUTCOMES_SQL,
  healingStatistics,
  remedyStatisticsOf,
  rowToCategoryStatistic,
  weightedCount,
} from '../curation-rows.js';
import type {
  CurationStore,
  HealingStatistics,
  PackImportResult,
  PackPattern,
  PatternEdit,
  RemedyStatistic,
} from '../curation-store.js';
import { rowToPattern, textCodec } from '../row-mapping.js';

type Row = Record<string, unknown>;

/** Longest chain of merges followed when resolving a pattern. */
const MAX_MERGE_HOPS = 16;
const positional = (sql: string) => sql.replace(/\$\d+/g, '?');

/** @key — a live or merged pattern by id or pattern key. */
const FIND_PATTERN = `SELECT * FROM universal_error_patterns WHERE id = @key OR pattern_key = @key ORDER BY id = @key DESC LIMIT 1`;
/** @id */
const GET_PATTERN_BY_ID = `SELECT * FROM universal_error_patterns WHERE id = ?`;
/**
 * @now @id @rootCause @solution @prevention @category @disabled — the @set… flags say which change. An
 * edited analysis becomes the operator's: no later analysis replaces it.
 */
const EDIT_PATTERN = `
UPDATE universal_error_patterns SET
  root_cause = CASE WHEN @setRootCause THEN @rootCause ELSE root_cause END,
  solution = CASE WHEN @setSolution THEN @solution ELSE solution END,
  prevention = CASE WHEN @setPrevention THEN @prevention ELSE prevention END,
  category = COALESCE(@category, category),
  source = CASE WHEN @setRootCause OR @setSolution OR @setPrevention OR @category IS NOT NULL THEN 'operator' ELSE source END,
  disabled_at = CASE WHEN @setDisabled THEN (CASE WHEN @disabled THEN COALESCE(disabled_at, @now) ELSE NULL END) ELSE disabled_at END,
  updated_at = @now
WHERE id = @id
RETURNING *`;
/** @packId @patterns @now */
const RECORD_PACK = `INSERT INTO pattern_pack_imports (pack_id, patterns, imported_at) VALUES (@packId, @patterns, @now) ON CONFLICT (pack_id) DO NOTHING`;
/** Adds imported counts to a known pattern; fills only what it does not know yet. */
const ABSORB_PACK_PATTERN = `
UPDATE universal_error_patterns SET
  occurrence_count = occurrence_count + @occurrences,
  success_count = success_count + @successes,
  failure_count = failure_count + @failures,
  root_cause = COALESCE(root_cause, @rootCause),
  prevention = COALESCE(prevention, @prevention),
  solution = CASE WHEN solution IS NULL OR solution = '[]' THEN @solution ELSE solution END,
  updated_at = @now
WHERE id = @id`;
const INSERT_PACK_PATTERN = `
INSERT INTO universal_error_patterns (id, pattern_key, template, category, transient, root_cause, solution, prevention, facts,
  source, occurrence_count, success_count, failure_count, confidence, example, first_seen, last_seen, created_at, updated_at)
VALUES (@id, @signature, @template, @category, @transient, @rootCause, @solution, @prevention, @facts,
  @source, @occurrences, @successes, @failures, @confidence, NULL, @now, @now, @now, @now)`;
const ADD_PRIOR = `
INSERT INTO pattern_remedy_priors (pattern_id, action, successes, failures, updated_at)
VALUES (@patternId, @action, @successes, @failures, @now)
ON CONFLICT (pattern_id, action) DO UPDATE SET
  successes = pattern_remedy_priors.successes + excluded.successes,
  failures = pattern_remedy_priors.failures + excluded.failures,
  updated_at = excluded.updated_at`;

/** Operator reads and writes of the SQLite store (see {@link CurationStore}). @internal */
export class SqliteCuration implements CurationStore {
  #db: Database.Database;
  #stmt: (sql: string) => Database.Statement;

  constructor(db: Database.Database, stmt: (sql: string) => Database.Statement) {
    this.#db = db;
    this.#stmt = stmt;
  }

  async editPattern(
    idOrSignature: string,
    edit: PatternEdit,
    now: number,
  ): Promise<Pattern | undefined> {
    const live = this.#resolve(idOrSignature);
    if (!live) return undefined;
    const row = this.#stmt(EDIT_PATTERN).get({
      id: live.id,
      now,
      setRootCause: edit.rootCause !== undefined ? 1 : 0,
      rootCause: edit.rootCause ?? null,
      setSolution: edit.remedies !== undefined ? 1 : 0,
      solution: JSON.stringify(edit.remedies ?? []),
      setPrevention: edit.prevention !== undefined ? 1 : 0,
      prevention: edit.prevention ?? null,
      category: edit.category ?? null,
      setDisabled: edit.disabled !== undefined ? 1 : 0,
      disabled: edit.disabled ? 1 : 0,
    }) as Row;
    return rowToPattern(row, textCodec);
  }

  async disabledPatternIds(): Promise<Set<string>> {
    const rows = this.#stmt(
      `SELECT id FROM universal_error_patterns WHERE disabled_at IS NOT NULL`,
    ).all() as Row[];
    return new Set(rows.map((row) => String(row.id)));
  }

  async remedyStatistics(patternId: string): Promise<RemedyStatistic[]> {
    const outcomes = this.#stmt(positional(REMEDY_OUTCOMES_SQL)).all(patternId) as Row[];
    const priors = this.#stmt(
      `SELECT action, successes, failures FROM pattern_remedy_priors WHERE pattern_id = ?`,
    ).all(patternId) as Row[];
    return remedyStatisticsOf(outcomes, priors);
  }

  async healingStatistics(): Promise<HealingStatistics> {
    const totals = this.#stmt(PATTERN_TOTALS_SQL).get() as Row;
    const heals = this.#stmt(HEAL_OUTCOMES_SQL).all() as Row[];
    const healed = this.#stmt(
      `SELECT count(*) AS n FROM ai_generation_jobs WHERE self_healed = 1`,
    ).get() as Row;
    const byCategory = (this.#stmt(CATEGORY_STATISTICS_SQL).all() as Row[]).map(
      rowToCategoryStatistic,
    );
    return healingStatistics(totals, heals, Number(healed.n), byCategory);
  }

  async importPatterns(
    packId: string,
    patterns: readonly PackPattern[],
    weight: number,
    now: number,
    onProgress?: (done: number) => void,
  ): Promise<PackImportResult> {
    return this.#db
      .transaction((): PackImportResult => {
        const recorded = this.#stmt(RECORD_PACK).run({ packId, patterns: patterns.length, now });
        if (recorded.changes === 0) return { imported: false, created: 0, merged: 0 };
        let created = 0;
        let merged = 0;
        for (const pattern of patterns) {
          const counts = {
            occurrences: weightedCount(pattern.occurrences, weight),
            successes: weightedCount(pattern.successes, weight),
            failures: weightedCount(pattern.failures, weight),
          };
          const analysis = {
            rootCause: pattern.rootCause,
            prevention: pattern.prevention,
            solution: JSON.stringify(pattern.remedies),
            now,
          };
          let id = this.#resolve(pattern.signature)?.id as string | undefined;
          if (id !== undefined) {
            this.#stmt(ABSORB_PACK_PATTERN).run({ id, ...counts, ...analysis });
            merged++;
          } else {
            id = randomUUID();
            this.#stmt(INSERT_PACK_PATTERN).run({
              id,
              signature: pattern.signature,
              template: pattern.template,
              category: pattern.category,
              transient: pattern.transient ? 1 : 0,
              facts: JSON.stringify(pattern.facts),
              source: pattern.source,
              confidence: pattern.confidence,
              ...counts,
              ...analysis,
            });
            created++;
          }
          for (const stat of pattern.remedyStatistics) {
            this.#stmt(ADD_PRIOR).run({
              patternId: id,
              action: stat.action,
              successes: stat.successes * weight,
              failures: stat.failures * weight,
              now,
            });
          }
          onProgress?.(created + merged);
        }
        return { imported: true, created, merged };
      })
      .immediate();
  }

  /** The live pattern an id or signature resolves to, following merges. */
  #resolve(key: string): Row | undefined {
    let row = this.#stmt(FIND_PATTERN).get({ key }) as Row | undefined;
    for (let hops = 0; row?.merged_into && hops < MAX_MERGE_HOPS; hops++) {
      row = this.#stmt(GET_PATTERN_BY_ID).get(row.merged_into) as Row | undefined;
    }
    return row;
  }
}
