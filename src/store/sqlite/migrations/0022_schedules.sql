-- Cron and repeatable schedules. next_run_at is the fencing value: a process fires a slot only by
-- moving next_run_at from the value it read (compare-and-set), and the job it enqueues carries the
-- idempotency key schedule:<name>:<slot>, so no slot fires twice across processes.
CREATE TABLE megamind_schedules (
  name TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  spec TEXT NOT NULL,
  next_run_at INTEGER NOT NULL,
  last_run_at INTEGER,
  last_job_id TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX megamind_schedules_due ON megamind_schedules (next_run_at);
