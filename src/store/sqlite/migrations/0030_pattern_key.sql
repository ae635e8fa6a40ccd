-- A pattern row is keyed by its pattern identity (the root cause: rule plus the facts that tell
-- causes apart), not by a message's shape; the column is named for what it holds. Each occurrence
-- keeps the shape it came in as its own signature, so both identities stay stored.
ALTER TABLE universal_error_patterns RENAME COLUMN signature TO pattern_key;
ALTER TABLE error_occurrences ADD COLUMN signature TEXT;
