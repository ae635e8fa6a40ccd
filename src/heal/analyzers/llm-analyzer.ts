import { z } from 'zod';
import { HOUR, SECOND } from '../../core/clock.js';
import { coerceError } from '../../core/errors.js';
import type { Json, Pattern } from '../../core/types.js';
import type { StateStore } from '../../core/state-store.js';
import { ACTIONS, isActionId, type ActionId } from '../../knowledge/actions.js';
import { knobValueProblem } from '../../orchestrator/knobs.js';
import { redact } from '../../patterns/redact.js';
import type { JobTypeView } from '../job-type-view.js';
import type { HealerLlmOptions } from '../healer-options.js';
import { OpenAiLlmClient, type LlmClient } from '../llm-client.js';

/** One remedy an LLM proposed, checked against the catalogue and the job type's knobs. */
export interface LlmProposal {
  action: ActionId;
  params: Record<string, Json>;
}

/** What an LLM concluded about a pattern; it proposes and never executes. */
export interface LlmAnalysis {
  rootCause: string;
  solution: string;
  prevention: string;
  transient: boolean;
  /** Best first. */
  remedies: LlmProposal[];
}

/** Options of {@link LlmAnalyzer}. */
export interface LlmAnalyzerOptions {
  /** Time one analysis may take before the healer falls back. @default 8000 */
  timeoutMs?: number;
  /** Calls per rolling hour; past it the healer falls back. @default 60 */
  maxCallsPerHour?: number;
}

/** What the analyzer was asked: one pattern, the job type, and the remedies that could act. */
export interface LlmQuestion {
  pattern: Pattern;
  message: string;
  jobType: JobTypeView;
  knobs: Record<string, Json>;
  /** Remedies applicable to this job; the answer may name no other. */
  allowed: readonly ActionId[];
  now: number;
}

const answerSchema = z.strictObject({
  root_cause: z.string().min(1).max(2000),
  solution: z.string().max(2000),
  prevention: z.string().max(2000),
  transient: z.boolean(),
  remedies: z
    .array(
      z.strictObject({
        action: z.string(),
        knob: z.string().nullable(),
        value: z.union([z.number(), z.string(), z.boolean()]).nullable(),
      }),
    )
    .min(1)
    .max(5),
});

const SYSTEM = [
  'You analyse errors of background jobs for a self-healing job orchestrator.',
  'Answer with JSON only, following the schema. Propose remedies best first, only from the allowed actions.',
  'A knob may only be one the job type declares for that action; value is the new knob value or null.',
  'If nothing the job can do will fix the error (a code bug, bad configuration, missing package), propose fail_fast or escalate.',
].join(' ');

/**
 * Asks an OpenAI-compatible model about a pattern no rule knows: the message is redacted first,
 * the answer must follow a JSON schema restricted to the applicable remedies and declared knobs
 * (strict structured output, then validated again here), one analysis per pattern is cached in
 * the store, calls are capped per hour and time out. Any failure returns undefined with a reason
 * in `lastFailure`: the healer falls back to rules and similar patterns.
 */
export class LlmAnalyzer {
  readonly #client: LlmClient;
  readonly #state: StateStore;
  readonly #timeoutMs: number;
  readonly #maxCallsPerHour: number;
  readonly #calls: number[] = [];
  readonly #failed = new Set<string>();
  /** Why the last analysis fell back, for logs and tests. */
  lastFailure: string | undefined;

  constructor(client: LlmClient, state: StateStore, options: LlmAnalyzerOptions = {}) {
    this.#client = client;
    this.#state = state;
    this.#timeoutMs = options.timeoutMs ?? 8 * SECOND;
    this.#maxCallsPerHour = options.maxCallsPerHour ?? 60;
  }

  /** The JSON schema of an answer for this job type and these remedies (strict mode). */
  schemaFor(jobType: JobTypeView, allowed: readonly ActionId[]): Record<string, unknown> {
    const knobs = [
      ...new Set(
        allowed.flatMap((action) => ACTIONS[action].knobs.filter((knob) => knob in jobType.knobs)),
      ),
    ];
    return {
      type: 'object',
      additionalProperties: false,
      required: ['root_cause', 'solution', 'prevention', 'transient', 'remedies'],
      properties: {
        root_cause: { type: 'string' },
        solution: { type: 'string' },
        prevention: { type: 'string' },
        transient: { type: 'boolean' },
        remedies: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['action', 'knob', 'value'],
            properties: {
              action: { type: 'string', enum: [...allowed] },
              knob: { type: ['string', 'null'], enum: [...knobs, null] },
              value: { type: ['number', 'string', 'boolean', 'null'] },
            },
          },
        },
      },
    };
  }

  /** The cached or fresh analysis of a pattern, or undefined (see `lastFailure`). */
  async analyze(question: LlmQuestion): Promise<LlmAnalysis | undefined> {
    const key = `heal.llm.${question.pattern.id}`;
    const cached = (await this.#state.getState(key)) as unknown as LlmAnalysis | undefined;
    if (cached) return cached;
    if (this.#failed.has(question.pattern.id))
      return this.#fallBack('an earlier analysis of this pattern failed');
    while (this.#calls.length > 0 && this.#calls[0]! <= question.now - HOUR) this.#calls.shift();
    if (this.#calls.length >= this.#maxCallsPerHour)
      return this.#fallBack(`the cap of ${this.#maxCallsPerHour} calls per hour is reached`);
    this.#calls.push(question.now);
    let text: string;
    try {
      text = await this.#client.complete(
        {
          system: SYSTEM,
          user: this.#prompt(question),
          schemaName: 'error_analysis',
          schema: this.schemaFor(question.jobType, question.allowed),
        },
        AbortSignal.timeout(this.#timeoutMs),
      );
    } catch (error) {
      this.#failed.add(question.pattern.id);
      return this.#fallBack(`the model call failed: ${coerceError(error).message}`);
    }
    const analysis = this.validate(text, question);
    if (typeof analysis === 'string') {
      this.#failed.add(question.pattern.id);
      return this.#fallBack(analysis);
    }
    await this.#state.setState(key, analysis as unknown as Json, question.now);
    this.lastFailure = undefined;
    return analysis;
  }

  /** Parses and checks an answer; returns what was wrong with it as a string. */
  validate(
    text: string,
    question: Pick<LlmQuestion, 'jobType' | 'knobs' | 'allowed'>,
  ): LlmAnalysis | string {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return 'the answer is not valid JSON';
    }
    const parsed = answerSchema.safeParse(json);
    if (!parsed.success)
      return `the answer does not follow the schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
    const remedies: LlmProposal[] = [];
    for (const proposal of parsed.data.remedies) {
      const { action, knob, value } = proposal;
      if (!isActionId(action) || !question.allowed.includes(action))
        return `the answer names a remedy that is not allowed: ${action}`;
      const params: Record<string, Json> = {};
      if (knob !== null) {
        const definition = question.jobType.knobs[knob];
        if (
          !(ACTIONS[action].knobs as readonly string[]).includes(knob) ||
          definition === undefined
        ) {
          return `the answer changes a knob the job type does not declare for ${action}: ${knob}`;
        }
        if (value !== null) {
          const problem = knobValueProblem(definition, value);
          if (problem) return `the answer sets knob ${knob} out of bounds: ${problem}`;
          if (definition.kind === 'number') {
            const current = question.knobs[knob];
            const from =
              typeof current === 'number' && current !== 0 ? current : definition.default;
            if (from !== 0) params.factor = (value as number) / from;
          } else {
            params.value = value;
          }
        }
      }
      remedies.push({ action, params });
    }
    return {
      rootCause: redact(parsed.data.root_cause),
      solution: redact(parsed.data.solution),
      prevention: redact(parsed.data.prevention),
      transient: parsed.data.transient,
      remedies,
    };
  }

  #prompt({ pattern, message, jobType, knobs }: LlmQuestion): string {
    const declared = Object.entries(jobType.knobs).map(([name, knob]) => ({
      name,
      ...knob,
      current: knobs[name] ?? knob.default,
    }));
    return JSON.stringify({
      error: redact(message).slice(0, 4000),
      template: pattern.template,
      category: pattern.category,
      job_type: jobType.type,
      resources: jobType.resources,
      knobs: declared,
    });
  }

  #fallBack(reason: string): undefined {
    this.lastFailure = reason;
    return undefined;
  }
}

/** The analyzer the healer's `llm` option describes: its client, or one built from its endpoint. */
export function llmAnalyzerOf(options: HealerLlmOptions, state: StateStore): LlmAnalyzer {
  const client =
    options.client ??
    new OpenAiLlmClient({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      model: options.model!,
      timeoutMs: options.timeoutMs,
    });
  return new LlmAnalyzer(client, state, {
    timeoutMs: options.timeoutMs,
    maxCallsPerHour: options.maxCallsPerHour,
  });
}
