import { describe, expect, it } from 'vitest';
import type { Pattern } from '../../src/core/types.js';
import { LlmAnalyzer, type LlmQuestion } from '../../src/heal/analyzers/llm-analyzer.js';
import { OpenAiLlmClient } from '../../src/heal/llm-client.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';
import { startFaultServer } from '../helpers/fault-server.js';

function completion(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'local-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
}

const PATTERN: Pattern = {
  id: 'p-1',
  patternKey: 'abcdef0123456789',
  signature: 'abcdef0123456789',
  template: 'summary truncated at <num> tokens',
  category: 'other',
  transient: true,
  rootCause: null,
  remedies: ['retry_with_backoff', 'escalate'],
  prevention: null,
  facts: {},
  source: 'similar',
  occurrenceCount: 1,
  successCount: 0,
  failureCount: 0,
  confidence: 0.15,
  example: null,
  mergedInto: null,
  firstSeen: 0,
  lastSeen: 0,
  lastUsed: null,
  createdAt: 0,
  updatedAt: 0,
};

function question(overrides: Partial<LlmQuestion> = {}): LlmQuestion {
  return {
    pattern: PATTERN,
    message: 'summary truncated at 4096 tokens (key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789)',
    jobType: {
      type: 'summarise',
      knobs: {
        maxContextTokens: { kind: 'number', default: 8000, min: 1000, max: 16000, integer: true },
        model: { kind: 'choice', default: 'small', options: ['small', 'large'] },
      },
      resources: ['openai'],
      maxAttempts: 3,
    },
    knobs: { maxContextTokens: 8000, model: 'small' },
    allowed: ['retry_with_backoff', 'reduce_context', 'switch_model', 'escalate'],
    now: Date.UTC(2026, 0, 1),
    ...overrides,
  };
}

describe.each(ENGINES)(
  'the LLM analyzer against a chat-completions server on loopback (%s)',
  (engine) => {
    async function setUp(answers: string[]) {
      const server = await startFaultServer();
      server.route('/v1/chat/completions', (n) => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: completion(answers[Math.min(n, answers.length) - 1]!),
      }));
      const { store } = await createTestStore(engine);
      const client = new OpenAiLlmClient({
        baseURL: `${server.url}/v1`,
        apiKey: 'test-key',
        model: 'local-model',
        timeoutMs: 2000,
      });
      return {
        server,
        analyzer: new LlmAnalyzer(client, store, { timeoutMs: 2000, maxCallsPerHour: 5 }),
      };
    }

    it('asks with a strict schema restricted to the allowed remedies and declared knobs, redacted, and caches the answer per pattern', async () => {
      const answer = JSON.stringify({
        root_cause: 'The prompt exceeds the model context.',
        solution: 'Send less context.',
        prevention: 'Trim history before calling.',
        transient: false,
        remedies: [
          { action: 'reduce_context', knob: 'maxContextTokens', value: 4000 },
          { action: 'switch_model', knob: 'model', value: 'large' },
        ],
      });
      const { server, analyzer } = await setUp([answer]);
      const analysis = await analyzer.analyze(question());
      expect(analysis).toEqual({
        rootCause: 'The prompt exceeds the model context.',
        solution: 'Send less context.',
        prevention: 'Trim history before calling.',
        transient: false,
        remedies: [
          { action: 'reduce_context', params: { factor: 0.5 } },
          { action: 'switch_model', params: { value: 'large' } },
        ],
      });
      const request = JSON.parse(server.posts[0]!.body);
      expect(request.model).toBe('local-model');
      expect(request.response_format.type).toBe('json_schema');
      expect(request.response_format.json_schema.strict).toBe(true);
      const item = request.response_format.json_schema.schema.properties.remedies.items.properties;
      expect(item.action.enum).toEqual([
        'retry_with_backoff',
        'reduce_context',
        'switch_model',
        'escalate',
      ]);
      expect(item.knob.enum).toEqual(['maxContextTokens', 'model', null]);
      expect(server.posts[0]!.body).not.toContain('sk-proj-abcdefghijklmnopqrstuvwxyz');
      // Cached in the store: a second question about the pattern makes no call.
      expect(await analyzer.analyze(question())).toEqual(analysis);
      expect(server.hits.get('/v1/chat/completions')).toBe(1);
    });

    it.each([
      ['invalid JSON', 'Sure! Here is the analysis: {root_cause: ...', /not valid JSON/],
      [
        'an unknown remedy',
        JSON.stringify({
          root_cause: 'x',
          solution: '',
          prevention: '',
          transient: true,
          remedies: [{ action: 'reboot_the_cluster', knob: null, value: null }],
        }),
        /not allowed: reboot_the_cluster/,
      ],
      [
        'a remedy that is not applicable',
        JSON.stringify({
          root_cause: 'x',
          solution: '',
          prevention: '',
          transient: true,
          remedies: [{ action: 'clear_cache', knob: null, value: null }],
        }),
        /not allowed: clear_cache/,
      ],
      [
        'an undeclared knob',
        JSON.stringify({
          root_cause: 'x',
          solution: '',
          prevention: '',
          transient: true,
          remedies: [{ action: 'reduce_context', knob: 'temperature', value: 0 }],
        }),
        /does not declare for reduce_context: temperature/,
      ],
      [
        'a knob value out of bounds',
        JSON.stringify({
          root_cause: 'x',
          solution: '',
          prevention: '',
          transient: true,
          remedies: [{ action: 'reduce_context', knob: 'maxContextTokens', value: 10 }],
        }),
        /out of bounds/,
      ],
    ])('rejects %s and falls back', async (_name, answer, reason) => {
      const { analyzer } = await setUp([answer]);
      expect(await analyzer.analyze(question())).toBeUndefined();
      expect(analyzer.lastFailure).toMatch(reason);
    });

    it('falls back when the server errors, times out, or the hourly cap is reached', async () => {
      const server = await startFaultServer();
      server.route('/v1/chat/completions', (n) =>
        n === 1 ? { status: 500, body: '{"error":{"message":"boom"}}' } : 'hang',
      );
      const { store } = await createTestStore(engine);
      const client = new OpenAiLlmClient({ baseURL: `${server.url}/v1`, apiKey: 'k', model: 'm' });
      const analyzer = new LlmAnalyzer(client, store, { timeoutMs: 200, maxCallsPerHour: 2 });
      expect(
        await analyzer.analyze(question({ pattern: { ...PATTERN, id: 'a' } })),
      ).toBeUndefined();
      expect(analyzer.lastFailure).toMatch(/model call failed/);
      expect(
        await analyzer.analyze(question({ pattern: { ...PATTERN, id: 'b' } })),
      ).toBeUndefined();
      expect(analyzer.lastFailure).toMatch(/model call failed/);
      expect(
        await analyzer.analyze(question({ pattern: { ...PATTERN, id: 'c' } })),
      ).toBeUndefined();
      expect(analyzer.lastFailure).toMatch(/cap of 2 calls per hour/);
      expect(server.hits.get('/v1/chat/completions')).toBe(2);
    });
  },
);
