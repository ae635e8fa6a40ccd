-- The proactive monitor: when a running job last made progress, one leader among the processes
-- sharing the database, the findings it hands on, and the durations it learns from.

-- Progress is a stage, a progress value, a checkpoint or ctx.heartbeat(); the worker's automatic
-- lease renewal moves heartbeat_at only. A claim counts as progress: the attempt just began.
ALTER TABLE ai_generation_jobs ADD COLUMN progress_at {{bigint}};
ALTER TABLE ai_generation_jobs ADD COLUMN stage_started_at {{bigint}};
ALTER TABLE ai_generation_jobs ADD COLUMN attempt_started_at {{bigint}};

-- One row per leadership (the monitor's): whoever holds an unexpired row leads; epoch grows with
-- every change of hands and fences the writes of a leader that lost its lease.
CREATE TABLE monitor_leaders (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  epoch {{bigint}} NOT NULL,
  acquired_at {{bigint}} NOT NULL,
  expires_at {{bigint}} NOT NULL
);

-- What the monitor found, with its evidence. The key makes a finding idempotent: however many
-- scans or processes see one stuck attempt, it is one row, dispatched once.
CREATE TABLE monitor_findings (
  id {{serial_key}},
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  job_id TEXT,
  job_type TEXT,
  pattern_id TEXT,
  summary TEXT NOT NULL,
  evidence {{json}} NOT NULL,
  detected_at {{bigint}} NOT NULL,
  detected_by TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dispatched', 'handled', 'failed')),
  dispatched_at {{bigint}},
  dispatched_by TEXT,
  handled_at {{bigint}},
  outcome TEXT
);
CREATE INDEX monitor_findings_pending ON monitor_findings (detected_at) WHERE status IN ('open', 'dispatched');
CREATE INDEX monitor_findings_kind ON monitor_findings (kind, detected_at);
CREATE INDEX monitor_findings_job ON monitor_findings (job_id);

-- Durations of successful attempts and of their stages (stage '' is the whole attempt), from
-- which slow and predicted-late thresholds are learned. Kept short: the newest samples per key.
CREATE TABLE job_duration_samples (
  id {{serial_key}},
  type TEXT NOT NULL,
  stage TEXT NOT NULL,
  duration_ms {{bigint}} NOT NULL,
  at {{bigint}} NOT NULL
);
CREATE INDEX job_duration_samples_key ON job_duration_samples (type, stage, id);

-- Error-spike detection counts recent occurrences of every pattern: read them by time alone.
CREATE INDEX error_occurrences_at ON error_occurrences (at);
