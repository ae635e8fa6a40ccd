/**
 * The pattern book's statements (patterns, occurrences, engine state), one named constant each,
 * with their parameters; those whose text depends on the engine are built from its dialect.
 */

import type { SqlDialect } from './sql-runner.js';

const PATTERNS = 'universal_error_patterns';

// A stored analysis is replaced only when it was a guess from similarity and the new one is not.
const UPGRADE = `${PATTERNS}.source = 'similar' AND excluded.source <> 'similar'`;
const upgraded = (column: string) =>
  `${column} = CASE WHEN ${UPGRADE} THEN excluded.${column} ELSE ${PATTERNS}.${column} END`;

/** $1 id or pattern key */
export const GET_PATTERN = `SELECT * FROM ${PATTERNS} WHERE id = $1 OR pattern_key = $1 ORDER BY id = $1 DESC LIMIT 1`;

/** $1 category (NULL for all), $2 limit, $3 offset */
export const LIST_PATTERNS_BY_LAST_SEEN = `
SELECT * FROM ${PATTERNS} WHERE merged_into IS NULL AND (CAST($1 AS TEXT) IS NULL OR category = $1)
ORDER BY last_seen DESC, id LIMIT $2 OFFSET $3`;

/** $1 category (NULL for all), $2 limit, $3 offset */
export const LIST_PATTERNS_BY_OCCURRENCES = `
SELECT * FROM ${PATTERNS} WHERE merged_into IS NULL AND (CAST($1 AS TEXT) IS NULL OR category = $1)
ORDER BY occurrence_count DESC, last_seen DESC, id LIMIT $2 OFFSET $3`;

/** $1 from id, $2 into id, $3 now */
export const MARK_MERGED = `
UPDATE ${PATTERNS} SET merged_into = $2, updated_at = $3 WHERE id = $1 AND merged_into IS NULL`;

/** $1 pattern id, $2 job id, $3 attempt, $4 message, $5 now, $6 signature */
export const INSERT_OCCURRENCE = `
INSERT INTO error_occurrences (pattern_id, job_id, attempt, message, at, signature) VALUES ($1, $2, $3, $4, $5, $6)
RETURNING *`;

/** $1 pattern id, $2 limit */
export const LIST_OCCURRENCES = `
SELECT * FROM error_occurrences WHERE pattern_id = $1 ORDER BY at DESC, id DESC LIMIT $2`;

/** $1 key */
export const GET_STATE = `SELECT value FROM megamind_state WHERE key = $1`;

/** $1 key, $2 value (JSON), $3 now */
export const SET_STATE = `
INSERT INTO megamind_state (key, value, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;

/** The statements whose text depends on the engine's dialect. */
export function patternQueries(d: SqlDialect) {
  return {
    /**
     * Inserts a pattern or counts one more occurrence of it; the conflict makes two processes
     * recording the same pattern key at once safe. Returns no row when the key was merged into
     * another pattern: the caller then counts on the survivor.
     * $1 id, $2 pattern key, $3 template, $4 category, $5 transient, $6 root cause, $7 solution,
     * $8 prevention, $9 facts, $10 source, $11 confidence, $12 example, $13 now
     */
    UPSERT_PATTERN: `
INSERT INTO ${PATTERNS} (id, pattern_key, template, category, transient, root_cause, solution, prevention, facts, source,
  occurrence_count, confidence, example, first_seen, last_seen, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $13, $13, $13, $13)
ON CONFLICT (pattern_key) DO UPDATE SET
  occurrence_count = ${PATTERNS}.occurrence_count + 1,
  template = excluded.template,
  example = COALESCE(excluded.example, ${PATTERNS}.example),
  last_seen = ${d.greatest}(${PATTERNS}.last_seen, excluded.last_seen),
  updated_at = excluded.updated_at,
  ${['category', 'transient', 'root_cause', 'solution', 'prevention', 'facts', 'confidence', 'source'].map(upgraded).join(',\n  ')}
WHERE ${PATTERNS}.merged_into IS NULL
RETURNING *`,

    /** $1 id, $2 now — one more occurrence of a pattern whose pattern key was merged into this one. */
    BUMP_PATTERN: `
UPDATE ${PATTERNS} SET occurrence_count = occurrence_count + 1, last_seen = ${d.greatest}(last_seen, $2), updated_at = $2
WHERE id = $1
RETURNING *`,

    /** $1 pattern key — the pattern to merge away, locked until the merge commits. */
    MERGED_PATTERN: `SELECT * FROM ${PATTERNS} WHERE pattern_key = $1 ${d.forUpdate}`,

    /** $1 into id $2 occurrences $3 successes $4 failures $5 first seen $6 last seen $7 now — adds a merged pattern's counts and time span. */
    ABSORB_PATTERN: `
UPDATE ${PATTERNS} SET
  occurrence_count = occurrence_count + $2,
  success_count = success_count + $3,
  failure_count = failure_count + $4,
  first_seen = ${d.least}(first_seen, $5),
  last_seen = ${d.greatest}(last_seen, $6),
  updated_at = $7
WHERE id = $1 AND merged_into IS NULL
RETURNING *`,
  };
}
