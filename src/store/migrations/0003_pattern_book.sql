-- The pattern book: engine state that must survive a restart (e.g. the template tree) and the
-- lookups the pattern book makes on every recorded error.

-- Small named JSON documents, one row each; written whole, last writer wins.
CREATE TABLE megamind_state (
  key TEXT PRIMARY KEY,
  value {{json}} NOT NULL,
  updated_at {{bigint}} NOT NULL
);

-- listPatterns orders live patterns by recency or frequency.
CREATE INDEX universal_error_patterns_last_seen ON universal_error_patterns (last_seen DESC) WHERE merged_into IS NULL;
CREATE INDEX universal_error_patterns_occurrences ON universal_error_patterns (occurrence_count DESC) WHERE merged_into IS NULL;
