import { describe, expect, it } from 'vitest';
import { isActionId } from '../../src/knowledge/actions.js';
import { isCategory } from '../../src/knowledge/categories.js';
import { classifyError } from '../../src/patterns/classify.js';
import type { ErrorInput } from '../../src/patterns/fingerprint.js';
import { RULES } from '../../src/knowledge/rules/index.js';
import { RULE_FIXTURES } from '../fixtures/errors/index.js';

const ruleOf = (input: ErrorInput) => classifyError(input).ruleId;

describe('built-in rules', () => {
  it.each(
    RULE_FIXTURES.map(
      (fixture) => [fixture.rule, fixture.input.message.slice(0, 70), fixture] as const,
    ),
  )('%s matches %j', (_rule, _message, fixture) => {
    expect(ruleOf(fixture.input)).toBe(fixture.rule);
  });

  it('has a real-message fixture for every rule', () => {
    const covered = new Set(RULE_FIXTURES.map((fixture) => fixture.rule));
    expect(RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('uses unique ids, known categories and catalogue actions only', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(isCategory(rule.category), rule.id).toBe(true);
      expect(rule.remedies.length, rule.id).toBeGreaterThan(0);
      for (const action of rule.remedies)
        expect(isActionId(action), `${rule.id}: ${action}`).toBe(true);
      expect(rule.rootCause.length, rule.id).toBeGreaterThan(10);
      expect(rule.prevention.length, rule.id).toBeGreaterThan(10);
    }
  });
});

describe('rule matching', () => {
  it('matches a phrase that a terminal wrapped onto an indented line', () => {
    const wrapped =
      'Error response from daemon: toomanyrequests: You have reached your\n    pull rate limit. You may increase the limit by authenticating and\n    upgrading: https://www.docker.com/increase-rate-limit';
    expect(ruleOf({ message: wrapped })).toBe('docker.pull_rate_limit');
  });
});

describe('confusable errors', () => {
  it('tells a 429 rate limit from a 429 exhausted quota and gives them different remedies', () => {
    const rate = classifyError({
      message:
        '429 Rate limit reached for gpt-4o in organization org-Xk2mP9qLr7TnB4vW on tokens per min (TPM): Limit 30000, Used 30000, Requested 800. Please try again in 1.6s.',
      status: 429,
    });
    const quota = classifyError({
      message: '429 You exceeded your current quota, please check your plan and billing details.',
      status: 429,
    });
    expect(rate.ruleId).toBe('openai.rate_limit');
    expect(quota.ruleId).toBe('openai.insufficient_quota');
    expect(rate.category).toBe('rate_limit');
    expect(quota.category).toBe('quota_exhausted');
    expect(rate.transient).toBe(true);
    expect(quota.transient).toBe(false);
    expect(rate.remedies[0]).toBe('wait_for_rate_limit');
    expect(quota.remedies).not.toContain('wait_for_rate_limit');
  });

  it('hands wrong credentials to a person and refreshes expired ones', () => {
    const wrong = classifyError({
      message:
        '401 Incorrect API key provided: sk-proj-AbCd****wxYZ. You can find your API key at https://platform.openai.com/account/api-keys.',
      status: 401,
    });
    const expired = classifyError({ message: 'TokenExpiredError: jwt expired' });
    expect(wrong.transient).toBe(false);
    expect(wrong.remedies.slice(0, 2)).toEqual(['escalate', 'refresh_credentials']);
    expect(expired.transient).toBe(true);
    expect(expired.remedies[0]).toBe('refresh_credentials');
  });

  it('tells a request larger than the whole TPM limit from an ordinary rate limit', () => {
    const tooLarge = classifyError({
      message:
        '429 Request too large for gpt-4o in organization org-Xk2mP9qLr7TnB4vW on tokens per min (TPM): Limit 30000, Requested 45211.',
      status: 429,
      code: 'rate_limit_exceeded',
    });
    expect(tooLarge.ruleId).toBe('openai.request_too_large');
    expect(tooLarge.transient).toBe(false);
    expect(tooLarge.remedies[0]).toBe('reduce_context');
  });

  it('tells "too many clients already" from "remaining connection slots are reserved"', () => {
    const full = classifyError({ message: 'sorry, too many clients already', code: '53300' });
    const reserved = classifyError({
      message: 'remaining connection slots are reserved for non-replication superuser connections',
      code: '53300',
    });
    expect(full.ruleId).toBe('postgres.too_many_clients');
    expect(reserved.ruleId).toBe('postgres.reserved_slots');
    expect(full.category).toBe(reserved.category);
  });

  it('tells ECONNREFUSED from ETIMEDOUT on the same host', () => {
    const refused = classifyError({
      message: 'connect ECONNREFUSED 10.1.2.3:443',
      code: 'ECONNREFUSED',
    });
    const timedOut = classifyError({
      message: 'connect ETIMEDOUT 10.1.2.3:443',
      code: 'ETIMEDOUT',
    });
    expect(refused.ruleId).toBe('net.connection_refused');
    expect(timedOut.ruleId).toBe('net.connect_timed_out');
    expect(timedOut.remedies).toContain('increase_timeout');
    expect(refused.remedies).not.toContain('increase_timeout');
  });

  it('attributes ECONNREFUSED on the Redis port to Redis, not to the network in general', () => {
    expect(ruleOf({ message: 'connect ECONNREFUSED 127.0.0.1:6379', code: 'ECONNREFUSED' })).toBe(
      'redis.connection_refused',
    );
    expect(ruleOf({ message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' })).toBe(
      'postgres.connection_refused',
    );
    expect(ruleOf({ message: 'connect ECONNREFUSED 127.0.0.1:8080', code: 'ECONNREFUSED' })).toBe(
      'net.connection_refused',
    );
  });

  it('reads a Gemini "exceeded your current quota" 429 as a rate limit, not as OpenAI billing', () => {
    const gemini = classifyError({
      message:
        '[GoogleGenerativeAI Error]: Error fetching from https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent: [429 Too Many Requests] You exceeded your current quota, please check your plan and billing details.',
    });
    expect(gemini.ruleId).toBe('gemini.resource_exhausted');
    expect(gemini.category).toBe('rate_limit');
  });

  it('tells a disk-full ENOSPC from the inotify watcher limit', () => {
    expect(
      ruleOf({ message: "ENOSPC: no space left on device, write '/tmp/x'", code: 'ENOSPC' }),
    ).toBe('fs.no_space_left');
    expect(
      ruleOf({
        message: "ENOSPC: System limit for number of file watchers reached, watch '/app'",
        code: 'ENOSPC',
      }),
    ).toBe('fs.inotify_watch_limit');
  });

  it('prefers the fetch cause over the bare "fetch failed"', () => {
    expect(
      ruleOf({ message: 'fetch failed', name: 'TypeError', code: 'UND_ERR_HEADERS_TIMEOUT' }),
    ).toBe('undici.headers_timeout');
    expect(ruleOf({ message: 'fetch failed', name: 'TypeError', code: 'ECONNREFUSED' })).toBe(
      'net.connection_refused',
    );
  });

  it('tells a fenced answer, a prose answer and a truncated answer apart', () => {
    expect(
      ruleOf({
        message: 'Unexpected token \'`\', "```json\n{"a"... is not valid JSON',
        name: 'SyntaxError',
      }),
    ).toBe('output.json_in_code_fence');
    expect(
      ruleOf({
        message: 'Unexpected token \'H\', "Here is th"... is not valid JSON',
        name: 'SyntaxError',
      }),
    ).toBe('output.prose_instead_of_json');
    expect(ruleOf({ message: 'Unexpected end of JSON input', name: 'SyntaxError' })).toBe(
      'output.json_truncated',
    );
  });
});
