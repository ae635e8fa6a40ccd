import { describe, expect, it } from 'vitest';
import { analyzeError } from '../../src/patterns/analyze-error.js';
import { PatternIndex } from '../../src/patterns/pattern-index.js';
import { TemplateTree } from '../../src/patterns/template-tree.js';

describe('analyzeError', () => {
  it('redacts before anything else, so no secret reaches the template or the facts', () => {
    const password = 'Zr8vQ2mKp1xT';
    const result = analyzeError({
      message: `password authentication failed for user "app" (postgres://app:${password}@db.internal:5432/jobs)`,
      code: '28P01',
    });
    expect(JSON.stringify(result)).not.toContain(password);
    expect(result.ruleId).toBe('postgres.auth_failed');
    expect(result.facts.host).toBe('db.internal');
  });

  it('returns signature, template, facts and the verdict together', () => {
    const result = analyzeError({
      message:
        '429 Rate limit reached for gpt-4o in organization org-Xk2mP9qLr7TnB4vW on tokens per min (TPM): Limit 30000, Used 30000, Requested 800. Please try again in 1.6s.',
      status: 429,
    });
    expect(result).toMatchObject({
      category: 'rate_limit',
      ruleId: 'openai.rate_limit',
      transient: true,
    });
    expect(result.facts).toMatchObject({ status: 429, retryAfterMs: 1600, resource: 'openai' });
    expect(result.signature).toMatch(/^[0-9a-f]{16}$/);
    expect(result.template).not.toContain('Xk2mP9qLr7TnB4vW');
    expect(result.frames).toEqual([]);
    expect(result).not.toHaveProperty('clusterId');
  });

  it('keeps the class in the pattern identity of a statement with no word of its own', () => {
    const key = (message: string) => analyzeError({ message }).patternKey;
    expect(key("KeyError: 'user_id'")).toBe(key("KeyError: 'email'"));
    expect(key("KeyError: 'user_id'")).not.toBe(key("IndexError: 'user_id'"));
    expect(key("KeyError: 'user_id'")).not.toBe(key("Error: 'user_id'"));
    expect(analyzeError({ message: "KeyError: 'user_id'" }).patternTemplate).toBe(
      "KeyError: '<str>'",
    );
    // A statement with words names its cause itself, whatever class wraps it.
    expect(key('acme.SyncError: the ledger drifted from the warehouse')).toBe(
      key('LedgerFault: the ledger drifted from the warehouse'),
    );
  });

  it('gives every stuck finding of one job type and stage the same signature', () => {
    const a = analyzeError({
      message: 'Job 81 stuck at 25%: no progress for 301s',
      type: 'stuck',
      jobType: 'generate-app',
      stage: 'Setting up database foundation',
    });
    const b = analyzeError({
      message: 'Job 9 stuck at 27%: no progress for 912s',
      type: 'stuck',
      jobType: 'generate-app',
      stage: 'Setting up database foundation',
    });
    const c = analyzeError({
      message: 'Job 9 stuck at 60%: no progress for 912s',
      type: 'stuck',
      jobType: 'generate-app',
      stage: 'Deploying',
    });
    expect(a.signature).toBe(b.signature);
    expect(a.signature).not.toBe(c.signature);
    expect(a.category).toBe('orchestrator_stuck');
  });

  it('mines messages into a shared template tree when given one', () => {
    const tree = new TemplateTree();
    const feeds = ['acme', 'globex', 'initech', 'umbrella'];
    const results = feeds.map((feed, i) =>
      analyzeError(
        { message: `Vendor feed ${feed} returned an empty batch for cursor c${80 + i}` },
        { tree },
      ),
    );
    // The tree learns that the feed name varies, which no mask could know.
    expect(results.at(-1)!.template).toBe('Vendor feed <*> returned an empty batch for cursor <*>');
    expect(results[0]!.category).toBe('other');
    expect(results[0]!.clusterId).toBeDefined();
  });

  it('joins a similar unknown error, but not one its own wording contradicts', () => {
    const index = new PatternIndex();
    const key = (message: string) => analyzeError({ message }, { index }).patternKey;
    const expired = key('Vault lease renewal: the service ticket for the request is expired');
    expect(key('Vault lease renewal: the service ticket for the request is expired!')).toBe(
      expired,
    );
    const invalid = analyzeError(
      { message: 'Vault lease renewal: the service ticket for the request is invalid' },
      { index },
    );
    expect(invalid.patternKey).not.toBe(expired);
    expect(invalid.transient).toBe(false);
  });

  it('joins a statement quoted inside a longer text, but not a short one by containment alone', () => {
    const index = new PatternIndex();
    const key = (message: string) => analyzeError({ message }, { index }).patternKey;
    const bare = key('vector shard rebalance aborted before quorum of replicas acknowledged');
    expect(
      key(
        'worker 7 | ingest pipeline | vector shard rebalance aborted before quorum of replicas acknowledged; see the operator guide for rebalancing options and limits',
      ),
    ).toBe(bare);
    const short = key('shard frozen');
    expect(
      key('ingest pipeline stopped because the shard frozen by operator maintenance window'),
    ).not.toBe(short);
  });

  it("keys a bare 400 by its statement, keeping the rule's verdict", () => {
    const index = new PatternIndex();
    const memory = (n: number) => ({
      message: `Resource handler returned message: "'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 3008 (Service: Lambda, Status Code: 400, Request ID: ${n}abc)"`,
    });
    const group = {
      message:
        'InvalidParameterValue: The request must contain the parameter MessageGroupId.\n status code: 400, request id: 62823783',
    };
    const first = analyzeError(memory(1), { index });
    const again = analyzeError(memory(2), { index });
    const other = analyzeError(group, { index });
    expect(first.ruleId).toBe('http.bad_request');
    expect(first.remedies[0]).toBe('fail_fast');
    expect(again.patternKey).toBe(first.patternKey);
    expect(other.ruleId).toBe('http.bad_request');
    expect(other.patternKey).not.toBe(first.patternKey);
    expect(first.patternKey.startsWith('rule:')).toBe(false);
  });

  it('tells a transport failure apart by the server it met, and a named condition not at all', () => {
    const key = (message: string) => analyzeError({ message }).patternKey;
    // The database host and the cache host not resolving are two servers to look at.
    expect(key('Error: getaddrinfo EAI_AGAIN postgres')).toBe(
      'rule:net.dns_temporary_failure@postgres',
    );
    expect(key('Error: getaddrinfo EAI_AGAIN redis')).toBe('rule:net.dns_temporary_failure@redis');
    // A missed run is one cause whichever job store the scheduler keeps.
    const missed =
      'Run time of job "tick (trigger: interval[0:00:10], next run at: 2024-01-01 10:00:10 UTC)" was missed by 0:00:03.123';
    expect(key(`${missed} (jobstore: redis)`)).toBe(key(missed));
    expect(key(missed)).toBe('rule:apscheduler.missed_run');
  });

  it("keeps the engine's own timeout one pattern per job type, and other rules' across types", () => {
    const timeout = { message: 'job exceeded its timeout of 500 ms', code: 'ERR_JOB_TIMEOUT' };
    const render = analyzeError({ ...timeout, jobType: 'render' }).patternKey;
    expect(render).toBe('rule:megamind.job_timeout#render');
    expect(analyzeError({ ...timeout, jobType: 'sync' }).patternKey).not.toBe(render);
    const refused = { message: 'connect ECONNREFUSED 10.0.0.5:5432', code: 'ECONNREFUSED' };
    expect(analyzeError({ ...refused, jobType: 'render' }).patternKey).toBe(
      analyzeError({ ...refused, jobType: 'sync' }).patternKey,
    );
  });
});
