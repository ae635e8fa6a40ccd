-- Outcomes of a remedy on a pattern by how many times it had already failed on the job (0, 1, 2 for
-- two or more): a retry that failed once often works the second time, and the healer's confidence
-- should say so rather than average the two.
CREATE TABLE remedy_repeat_stats (
  pattern_id TEXT NOT NULL,
  remedy TEXT NOT NULL,
  tries INTEGER NOT NULL,
  success_count INTEGER NOT NULL DEFAULT 0,
  failure_count INTEGER NOT NULL DEFAULT 0,
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (pattern_id, remedy, tries)
);
