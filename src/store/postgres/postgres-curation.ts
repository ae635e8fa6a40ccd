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
  PackPattern,
  PatternEdit,
  RemedyStatistic,
} from '../curation-store.js';
import { nativeCodec, rowToPattern } from '../row-mapping.js';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;
/** Runs `work` in one transaction on one connection. */
type Transaction = <T>(work: (query: Query) => Promise<T>) => Promise<T>;

/** Longest chain of merges followed when resolving a pattern. */
const MAX_MERGE_HOPS = 16;
// Job ids are uuid columns: anything else is no job, not a query error.
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
  root_cause = CASE WHEN $3::boolean THEN $4::text ELSE root_cause END,
  solution = CASE WHEN $5::boolean THEN $6::jsonb ELSE solution END,
  prevention = CASE WHEN $7::boolean THEN $8::text ELSE prevention END,
  category = COALESCE($9::text, category),
  source = CASE WHEN $3::boolean OR $5::boolean OR $7::boolean OR $9::text IS NOT NULL THEN 'operator' ELSE source END,
  disabled_at = CASE WHEN $10::boolean THEN (CASE WHEN $11::boolean THEN COALESCE(disabled_at, $2::bigint) ELSE NULL END) ELSE disabled_at END,
  updated_at = $2::bigint
WHERE id = $1
RETURNING *`;
/** $1 pack id $2 patterns $3 now */
const RECORD_PACK = `INSERT INTO pattern_pack_imports (pack_id, patterns, imported_at) VALUES ($1, $2, $3) ON CONFLICT (pack_id) DO NOTHING RETURNING pack_id`;
/** $1 id $2 occurrences $3 successes $4 failures $5 root cause $6 prevention $7 solution $8 now — fills only what is not known yet. */
const ABSORB_PACK_PATTERN = `
UPDATE universal_error_patterns SET
  occurrence_count = occurrence_count + $2, success_count = success_count + $3, failure_count = failure_count + $4,
  root_cause = COALESCE(root_cause, $5), prevention = COALESCE(prevention, $6),
  solution = CASE WHEN solution IS NULL OR solution = '[]'::jsonb THEN $7::jsonb ELSE solution END,
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

/** Operator reads and writes of the PostgreSQL store (see {@link CurationStore}). @internal */
export class PostgresCuration implements CurationStore {
  #query: Query;
  #transaction: Transaction;

  constructor(query: Query, transaction: Transaction) {
    this.#query = query;
    this.#transaction = transaction;
  }

  async editPattern(
    idOrSignature: string,
    edit: PatternEdit,
    now: number,
  ): Promise<Pattern | undefined> {
    const live = await resolve(this.#query, idOrSignature);
    if (!live) return undefined;
    const [row] = await this.#query(EDIT_PATTERN, [
      live.id,
      now,
      edit.rootCause !== undefined,
      edit.rootCause ?? null,
      edit.remedies !== undefined,
      JSON.stringify(edit.remedies ?? []),
      edit.prevention !== undefined,
      edit.prevention ?? null,
      edit.category ?? null,
      edit.disabled !== undefined,
      edit.disabled === true,
    ]);
    return row ? rowToPattern(row, nativeCodec) : undefined;
  }

  async disabledPatternIds(): Promise<Set<string>> {
    const rows = await this.#query(
      `SELECT id FROM universal_error_patterns WHERE disabled_at IS NOT NULL`,
    );
    return new Set(rows.map((row) => String(row.id)));
  }

  async remedyStatistics(patternId: string): Promise<RemedyStatistic[]> {
    const outcomes = await this.#query(REMEDY_OUTCOMES_SQL, [patternId]);
    const priors = await this.#query(
      `SELECT action, successes, failures FROM pattern_remedy_priors WHERE pattern_id = $1`,
      [patternId],
    );
    return remedyStatisticsOf(outcomes, priors);
  }

  async healingStatistics(): Promise<HealingStatistics> {
    const [totals] = await this.#query(PATTERN_TOTALS_SQL);
    const heals = await this.#query(HEAL_OUTCOMES_SQL);
    const [healed] = await this.#query(
      `SELECT count(*) AS n FROM ai_generation_jobs WHERE self_healed`,
    );
    const byCategory = (await this.#query(CATEGORY_STATISTICS_SQL)).map(rowToCategoryStatistic);
    return healingStatistics(totals as Row, heals, Number(healed?.n ?? 0), byCategory);
  }

  importPatterns(
    packId: string,
    patterns: readonly PackPattern[],
    weight: number,
    now: number,
    onProgress?: (done: number) => void,
  ): Promise<PackImportResult> {
    return this.#transaction(async (query) => {
      const recorded = await query(RECORD_PACK, [packId, patterns.length, now]);
      if (recorded.length === 0) return { imported: false, created: 0, merged: 0 };
      let created = 0;
      let merged = 0;
      for (const pattern of patterns) {
        const counts = [
          weightedCount(pattern.occurrences, weight),
          weightedCount(pattern.successes, weight),
          weightedCount(pattern.failures, weight),
        ];
        const solution = JSON.stringify(pattern.remedies);
        let id = (await resolve(query, pattern.signature))?.id as string | undefined;
        if (id !== undefined) {
          await query(ABSORB_PACK_PATTERN, [
            id,
            ...counts,
            pattern.rootCause,
            pattern.prevention,
            solution,
            now,
          ]);
          merged++;
        } else {
          id = randomUUID();
          await query(INSERT_PACK_PATTERN, [
            id,
            pattern.signature,
            pattern.template,
            pattern.category,
            pattern.transient,
            pattern.rootCause,
            solution,
            pattern.prevention,
            JSON.stringify(pattern.facts),
            pattern.source,
            ...counts,
            pattern.confidence,
            now,
          ]);
          created++;
        }
        for (const stat of pattern.remedyStatistics) {
          await query(ADD_PRIOR, [
            id,
            stat.action,
            stat.successes * weight,
            stat.failures * weight,
            now,
          ]);
        }
        onProgress?.(created + merged);
      }
      return { imported: true, created, merged };
    });
  }
}

/** The live pattern an id or signature resolves to, following merges. */
async function resolve(query: Query, key: string): Promise<Row | undefined> {
  let [row] = await query(FIND_PATTERN, [key]);
  for (let hops = 0; row?.merged_into && hops < MAX_MERGE_HOPS; hops++)
    [row] = await query(GET_PATTERN_BY_ID, [row.merged_into]);
  return row;
}
