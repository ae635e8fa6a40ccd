-- sqlite: -- Mega Mind schema, SQLite. Times are integer milliseconds since the epoch; JSON is TEXT.
-- postgres: -- Mega Mind schema, PostgreSQL. Times are bigint milliseconds since the epoch; JSON is jsonb.

-- The seed's job table, with the engine's lease, progress and retry bookkeeping beside it.
CREATE TABLE ai_generation_jobs (
  id {{uuid}} PRIMARY KEY,
-- postgres:   seq BIGSERIAL NOT NULL UNIQUE,
  type TEXT NOT NULL,
  payload {{json}} NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  priority INTEGER NOT NULL DEFAULT 0,
  run_at {{bigint}} NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  idempotency_key TEXT,
  lease_owner TEXT,
  lease_expires_at {{bigint}},
  lease_token {{bigint}} NOT NULL DEFAULT 0,
  stage TEXT,
  progress {{real}} NOT NULL DEFAULT 0,
  heartbeat_at {{bigint}},
  checkpoint {{json}},
-- sqlite:   knobs TEXT NOT NULL DEFAULT '{}',
-- postgres:   knobs JSONB NOT NULL DEFAULT '{}'::jsonb,
  result {{json}},
  last_error {{json}},
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL,
  started_at {{bigint}},
  finished_at {{bigint}},
  self_healed {{bool}} NOT NULL DEFAULT {{false}},
  healing_pattern_id TEXT,
  healing_timestamp {{bigint}}
);
CREATE UNIQUE INDEX ai_generation_jobs_idempotency ON ai_generation_jobs (idempotency_key)
  WHERE idempotency_key IS NOT NULL;
-- sqlite: -- rowid breaks ties in insertion order; SQLite appends it to every index.
-- sqlite: CREATE INDEX ai_generation_jobs_due ON ai_generation_jobs (priority DESC, run_at)
-- postgres: CREATE INDEX ai_generation_jobs_due ON ai_generation_jobs (priority DESC, run_at, seq)
  WHERE status = 'queued';
CREATE INDEX ai_generation_jobs_lease ON ai_generation_jobs (lease_expires_at) WHERE status = 'running';
CREATE INDEX ai_generation_jobs_type_status ON ai_generation_jobs (type, status);

-- Failed, expired and released attempts: the error history the healer learns from.
CREATE TABLE job_attempts (
  id {{serial_key}},
  job_id {{uuid}} NOT NULL REFERENCES ai_generation_jobs (id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  lease_token {{bigint}} NOT NULL,
  owner TEXT,
  outcome TEXT NOT NULL,
  error {{json}},
  at {{bigint}} NOT NULL
);
CREATE INDEX job_attempts_job ON job_attempts (job_id, id);

-- The seed's learned patterns.
CREATE TABLE universal_error_patterns (
  id TEXT PRIMARY KEY,
  signature TEXT NOT NULL UNIQUE,
  template TEXT NOT NULL,
  category TEXT NOT NULL,
  transient {{bool}} NOT NULL DEFAULT {{false}},
  root_cause TEXT,
  solution {{json}},
  prevention TEXT,
  facts {{json}} NOT NULL DEFAULT '{}',
  source TEXT NOT NULL DEFAULT 'rule',
  occurrence_count INTEGER NOT NULL DEFAULT 0,
  success_count INTEGER NOT NULL DEFAULT 0,
  failure_count INTEGER NOT NULL DEFAULT 0,
  confidence {{real}} NOT NULL DEFAULT 0,
  example TEXT,
  merged_into TEXT REFERENCES universal_error_patterns (id),
  first_seen {{bigint}} NOT NULL,
  last_seen {{bigint}} NOT NULL,
  last_used {{bigint}},
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL
);
CREATE INDEX universal_error_patterns_category ON universal_error_patterns (category);

-- Which job attempt hit which pattern.
CREATE TABLE error_occurrences (
  id {{serial_key}},
  pattern_id TEXT NOT NULL REFERENCES universal_error_patterns (id),
  job_id TEXT,
  attempt INTEGER,
  message TEXT NOT NULL,
  at {{bigint}} NOT NULL
);
CREATE INDEX error_occurrences_pattern ON error_occurrences (pattern_id, at);
CREATE INDEX error_occurrences_job ON error_occurrences (job_id);

-- The seed's improvement log: every fix applied, verified by what the job did next.
CREATE TABLE ai_improvement_logs (
  id TEXT PRIMARY KEY,
  job_id TEXT,
  pattern_id TEXT REFERENCES universal_error_patterns (id),
  action TEXT NOT NULL,
  changes_applied {{json}} NOT NULL DEFAULT '{}',
  before_metrics {{json}} NOT NULL DEFAULT '{}',
  after_metrics {{json}},
  validation_status TEXT NOT NULL DEFAULT 'pending'
    CHECK (validation_status IN ('pending', 'validated', 'failed')),
  confidence {{real}} NOT NULL DEFAULT 0,
  created_at {{bigint}} NOT NULL,
  validated_at {{bigint}}
);
CREATE INDEX ai_improvement_logs_job ON ai_improvement_logs (job_id);
CREATE INDEX ai_improvement_logs_pattern ON ai_improvement_logs (pattern_id, created_at);
