-- The healer's limits, shared by every process on the database.

-- Failures in a row per resource since its last success, counted by all workers: a breaker opens
-- only after enough of them, wherever they happened.
CREATE TABLE resource_failure_streaks (
  resource TEXT PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  updated_at {{bigint}} NOT NULL
);

-- The intensity limit counts a pattern's failed heals within a window, whichever process healed.
CREATE INDEX ai_improvement_logs_failed_heals ON ai_improvement_logs (pattern_id, validated_at)
  WHERE outcome = 'failure';
