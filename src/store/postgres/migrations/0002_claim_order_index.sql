-- Claims are per type: this index hands out a type's due jobs already in claim order, so a claim
-- reads only the rows it takes instead of sorting every queued job of the type.
CREATE INDEX ai_generation_jobs_claim ON ai_generation_jobs (type, priority DESC, run_at, seq)
  WHERE status = 'queued';
DROP INDEX ai_generation_jobs_due;
-- seq only orders claims (inside the index above); its own unique index cost an index insert on
-- every claim, heartbeat and completion.
ALTER TABLE ai_generation_jobs DROP CONSTRAINT ai_generation_jobs_seq_key;
