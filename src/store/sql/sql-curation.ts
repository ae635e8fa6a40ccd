import { randomUUID } from 'node:crypto';
import type { Pattern } from '../../core/types.js';
import {
  CATEGORY_STATISTICS_SQL,
  HEAL_OUTCOMES_SQL,
  healingStatistics,
  PATTERN_TOTALS_SQL,
  REMEDY_OUTCOMES_SQL,
  remedyStatisticsOf,
  rowToCategoryStatistic,
  weightedCount,
} from '../curation-rows.js';
import type {
  CurationStore,
  HealingStatistics,
  PackImportResult,
  PatternEdit,
  RemedyStatistic,
} from '../curation-store.js';
import { rowToPattern } from '../row-mapping.js';
import { changes, rows, type Row, type SqlRunner, type SqlTransaction } from './sql-runner.js';

/** Longest chain of merges followed when resolving a pattern. */
const MAX_MERGE_HOPS = 16;
/** $1 key — a live or merged pattern by id or pattern key. */
const FIND_PATTERN = `SELECT * FROM universal_error_patterns WHERE id = $1 OR pattern_key = $1 ORDER BY id = $1 DESC LIMIT 1`;
/** $1 id */
const GET_PATTERN_BY_ID = `SELECT * FROM universal_error_patterns WHERE id = $1`;
/**
 * $1 id $2 now $3 set root cause? $4 root cause $5 set solution? $6 solution $7 set prevention? $8 prevention
 * $9 category $10 set disabled? $11 disabled. An edited analysis becomes the operator's: no later analysis replaces it.
 */
const EDIT_PATTERN = `
UPDATE universal_error_patterns SET
  root_cause = CASE WHEN CAST($3 AS BOOLEAN) THEN $4 ELSE root_cause END,
  solution = CASE WHEN CAST($5 AS BOOLEAN) THEN $6 ELSE solution END,
  prevention = CASE WHEN CAST($7 AS BOOLEAN) THEN $8 ELSE prevention END,
  category = COALESCE(CAST($9 AS TEXT), category),
  source = CASE WHEN $3 OR $5 OR $7 OR $9 IS NOT NULL THEN 'operator' ELSE source END,
  disabled_at = CASE WHEN CAST($10 AS BOOLEAN) THEN (CASE WHEN CAST($11 AS BOOLEAN) THEN COALESCE(disabled_at, CAST($2 AS BIGINT)) ELSE NULL END) ELSE disabled_at END,
  updated_at = $2
WHERE id = $1
RETURNING *`;
/** $1 pack id $2 patterns $3 now — no row when the pack was imported before. */
const RECORD_PACK = `INSERT INTO pattern_pack_imports (pack_id, patterns, imported_at) VALUES ($1, $2, $3) ON CONFLICT (pack_id) DO NOTHING RETURNING pack_id`;
/** $1 id $2 occurrences $3 successes $4 failures $5 root cause $6 prevention $7 solution $8 now — fills only what is not known yet. */
const ABSORB_PACK_PATTERN = `
UPDATE universal_error_patterns SET
  occurrence_count = occurrence_count + $2, success_count = success_count + $3, failure_count = failure_count + $4,
  root_cause = COALESCE(root_cause, $5), prevention = COALESCE(prevention, $6),
  solution = CASE WHEN solution IS NULL OR solution = '[]' THEN $7 ELSE solution END,
  updated_at = $8
WHERE id = $1`;
/** $1 id $2 pattern key $3 template $4 category $5 transient $6 root cause $7 solution $8 prevention $9 facts $10 source $11 occurrences $12 successes $13 failures $14 confidence $15 now */
const INSERT_PACK_PATTERN = `
INSERT INTO universal_error_patterns (id, pattern_key, template, category, transient, root_cause, solution, prevention, facts,
  source, occurrence_count, success_count, failure_count, confidence, example, first_seen, last_seen, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, $15, $15, $15, $15)`;
/** $1 pattern id $2 action $3 successes $4 failures $5 now */
const ADD_PRIOR = `
INSERT INTO pattern_remedy_priors (pattern_id, action, successes, failures, updated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (pattern_id, action) DO UPDATE SET
  successes = pattern_remedy_priors.successes + excluded.successes,
  failures = pattern_remedy_priors.failures + excluded.failures,
  updated_at = excluded.updated_at`;

/** The live pattern an id or signature resolves to, following merges. */
function* resolve(key: string): SqlTransaction<Row | undefined> {
  let [row] = yield* rows(FIND_PATTERN, [key]);
  for (let hops = 0; row?.merged_into && hops < MAX_MERGE_HOPS; hops++)
    [row] = yield* rows(GET_PATTERN_BY_ID, [row.merged_into]);
  return row;
}

/** Operator reads and writes, on either engine (see {@link CurationStore}). @internal */
export class SqlCuration implements CurationStore {
  #sql: SqlRunner;

  constructor(sql: SqlRunner) {
    this.#sql = sql;
  }

  async editPattern(
    idOrSignature: string,
    edit: PatternEdit,
    now: number,
  ): Promise<Pattern | undefined> {
    const bool = this.#sql.dialect.bool;
    const row = await this.#sql.transaction(function* () {
      const live = yield* resolve(idOrSignature);
      if (!live) return undefined;
      const [edited] = yield* rows(EDIT_PATTERN, [
        live.id,
        now,
        bool(edit.rootCause !== undefined),
        edit.rootCause ?? null,
        bool(edit.remedies !== undefined),
        JSON.stringify(edit.remedies ?? []),
        bool(edit.prevention !== undefined),
        edit.prevention ?? null,
        edit.category ?? null,
        bool(edit.disabled !== undefined),
        bool(edit.disabled === true),
      ]);
      return edited;
    });
    return row ? rowToPattern(row, this.#sql.dialect.codec) : undefined;
  }

  async disabledPatternIds(): Promise<Set<string>> {
    const disabled = await this.#sql.all(
      `SELECT id FROM universal_error_patterns WHERE disabled_at IS NOT NULL`,
    );
    return new Set(disabled.map((row) => String(row.id)));
  }

  async remedyStatistics(patternId: string): Promise<RemedyStatistic[]> {
    const outcomes = await this.#sql.all(REMEDY_OUTCOMES_SQL, [patternId]);
    const priors = await this.#sql.all(
      `SELECT action, successes, failures FROM pattern_remedy_priors WHERE pattern_id = $1`,
      [patternId],
    );
    return remedyStatisticsOf(outcomes, priors);
  }

  async healingStatistics(): Promise<HealingStatistics> {
    const [totals] = await this.#sql.all(PATTERN_TOTALS_SQL);
    const heals = await this.#sql.all(HEAL_OUTCOMES_SQL);
    const [healed] = await this.#sql.all(
      `SELECT count(*) AS n FROM ai_generation_jobs WHERE self_healed = TRUE`,
    );
    const byCategory = (await this.#sql.all(CATEGORY_STATISTICS_SQL)).map(rowToCategoryStatistic);
    return healingStatistics(totals!, heals, Number(healed?.n ?? 0), byCategory);
  }

  // The parameters are the interface's, spelled there with their documentation.
  importPatterns(
    ...[packId, patterns, weight, now, onProgress]: Parameters<CurationStore['importPatterns']>
  ): Promise<PackImportResult> {
    const bool = this.#sql.dialect.bool;
    return this.#sql.transaction(function* (): SqlTransaction<PackImportResult> {
      const recorded = yield* rows(RECORD_PACK, [packId, patterns.length, now]);
      if (recorded.length === 0) return { imported: false, created: 0, merged: 0 };
      let created = 0;
      let merged = 0;
      for (const pattern of patterns) {
        const counts = [
          weightedCount(pattern.occurrences, weight),
          weightedCount(pattern.successes, weight),
          weightedCount(pattern.failures, weight),
        ];
        const { rootCause, prevention } = pattern;
        const solution = JSON.stringify(pattern.remedies);
        let id = (yield* resolve(pattern.signature))?.id as string | undefined;
        if (id !== undefined) {
          yield* changes(ABSORB_PACK_PATTERN, [
            id,
            ...counts,
            rootCause,
            prevention,
            solution,
            now,
          ]);
          merged++;
        } else {
          id = randomUUID();
          const { signature, template, category } = pattern;
          const facts = JSON.stringify(pattern.facts);
          const analysis = [rootCause, solution, prevention, facts, pattern.source];
          yield* changes(INSERT_PACK_PATTERN, [
            ...[id, signature, template, category, bool(pattern.transient), ...analysis],
            ...[...counts, pattern.confidence, now],
          ]);
          created++;
        }
        for (const stat of pattern.remedyStatistics) {
          const evidence = [stat.successes * weight, stat.failures * weight];
          yield* changes(ADD_PRIOR, [id, stat.action, ...evidence, now]);
        }
        onProgress?.(created + merged);
      }
      return { imported: true, created, merged };
    });
  }
}
