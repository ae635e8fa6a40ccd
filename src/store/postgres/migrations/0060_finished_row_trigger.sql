-- The statement trigger of 0023 made PostgreSQL build transition tables for every UPDATE of the
-- jobs table, claims and lease renewals included, though only finishing statements notify. A row
-- trigger on `UPDATE OF status` with a WHEN clause is never called for renewals, and for claims
-- only its WHEN (evaluated without entering PL/pgSQL) runs. It sends one NOTIFY per finished job;
-- listeners wake only the waiters of the ids they are told about.
DROP TRIGGER megamind_finished ON ai_generation_jobs;
DROP FUNCTION megamind_notify_finished();
CREATE FUNCTION megamind_notify_finished() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM pg_notify(left(left(lower('megamind_' || current_schema()), 63), 56) || '_events', NEW.id::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER megamind_finished AFTER UPDATE OF status ON ai_generation_jobs
  FOR EACH ROW
  WHEN (NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION megamind_notify_finished();
