-- Tells other processes which jobs reached a final state: one NOTIFY per 200 ids on
-- <store channel, at most 56 characters>_events, per statement (transition tables), so a batch
-- of completions costs one notification, not one per row.
CREATE FUNCTION megamind_notify_finished() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM pg_notify(left(left(lower('megamind_' || current_schema()), 63), 56) || '_events', string_agg(f.id::text, ','))
  FROM (
    SELECT n.id, (row_number() OVER ()) / 200 AS chunk
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.status IN ('completed', 'failed', 'cancelled') AND o.status IS DISTINCT FROM n.status
  ) f
  GROUP BY f.chunk;
  RETURN NULL;
END
$$;
CREATE TRIGGER megamind_finished AFTER UPDATE ON ai_generation_jobs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION megamind_notify_finished();
