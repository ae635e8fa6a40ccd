-- An attempt is charged when its handler starts, not when it is claimed: charged_token holds the
-- lease token of the last attempt charged. Jobs running now were charged at claim.
ALTER TABLE ai_generation_jobs ADD COLUMN charged_token INTEGER;
UPDATE ai_generation_jobs SET charged_token = lease_token WHERE status = 'running';
