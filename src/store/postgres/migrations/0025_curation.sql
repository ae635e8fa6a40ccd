-- Curation from the API and CLI: disabling patterns, remedy evidence imported from pattern packs,
-- and the packs already imported (so importing one twice counts it once).

-- A disabled pattern stays in the book (its signature still groups errors) but is not applied.
ALTER TABLE universal_error_patterns ADD COLUMN disabled_at BIGINT;

-- Evidence about a remedy of a pattern that came from elsewhere (a pack), weighted on import.
-- Kept apart from the local counts: local evidence is never overwritten by imported evidence.
CREATE TABLE pattern_remedy_priors (
  pattern_id TEXT NOT NULL REFERENCES universal_error_patterns (id),
  action TEXT NOT NULL,
  successes DOUBLE PRECISION NOT NULL DEFAULT 0,
  failures DOUBLE PRECISION NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (pattern_id, action)
);

CREATE TABLE pattern_pack_imports (
  pack_id TEXT PRIMARY KEY,
  patterns INTEGER NOT NULL,
  imported_at BIGINT NOT NULL
);
