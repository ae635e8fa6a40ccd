-- The learning healer: what each remedy did for each pattern, and a fuller improvement log.

-- Outcomes per pattern and remedy with its parameters (the Beta posterior's counts). `remedy` is
-- the action id followed by its canonical JSON parameters, e.g. increase_timeout{"factor":2}.
CREATE TABLE remedy_stats (
  pattern_id TEXT NOT NULL,
  remedy TEXT NOT NULL,
  action TEXT NOT NULL,
  params {{json}} NOT NULL DEFAULT '{}',
  success_count INTEGER NOT NULL DEFAULT 0,
  failure_count INTEGER NOT NULL DEFAULT 0,
  last_used {{bigint}},
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (pattern_id, remedy)
);

-- What the healer saw and did, beside the seed's columns.
ALTER TABLE ai_improvement_logs ADD COLUMN job_type TEXT;
ALTER TABLE ai_improvement_logs ADD COLUMN attempt INTEGER;
ALTER TABLE ai_improvement_logs ADD COLUMN remedy TEXT;
ALTER TABLE ai_improvement_logs ADD COLUMN pattern_new {{bool}} NOT NULL DEFAULT {{false}};
ALTER TABLE ai_improvement_logs ADD COLUMN detected {{json}} NOT NULL DEFAULT '{}';
-- success | failure | changed (another error came next) | abandoned (the job ended otherwise)
ALTER TABLE ai_improvement_logs ADD COLUMN outcome TEXT;

-- Settling a job's open heal on its next attempt reads only the pending rows.
CREATE INDEX ai_improvement_logs_pending ON ai_improvement_logs (job_id) WHERE validation_status = 'pending';
CREATE INDEX ai_improvement_logs_created ON ai_improvement_logs (created_at);
