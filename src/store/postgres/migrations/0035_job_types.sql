-- Job types as workers describe them (stages, knobs, resources, thresholds; never the handler), so
-- processes without handlers can validate enqueues and the monitor knows each type's thresholds.
CREATE TABLE megamind_job_types (
  type TEXT PRIMARY KEY,
  description jsonb NOT NULL,
  described_at bigint NOT NULL
);
