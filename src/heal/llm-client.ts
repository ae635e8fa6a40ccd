import OpenAI from 'openai';
import { SECOND } from '../core/clock.js';

/** One structured request to a language model. */
export interface LlmRequest {
  system: string;
  user: string;
  /** Name and JSON schema the answer must follow (strict structured output). */
  schemaName: string;
  schema: Record<string, unknown>;
}

/**
 * The one thing the healer asks of a language model: the text of an answer that should follow a
 * JSON schema. Tests and other providers implement it directly.
 */
export interface LlmClient {
  complete(request: LlmRequest, signal: AbortSignal): Promise<string>;
}

/** Where the OpenAI-compatible endpoint is (OpenAI, Ollama, vLLM, …). */
export interface OpenAiLlmClientOptions {
  /** e.g. `http://127.0.0.1:11434/v1` for Ollama. @default the SDK's (OPENAI_BASE_URL or OpenAI) */
  baseURL?: string;
  /** @default process.env.OPENAI_API_KEY, or a placeholder for local servers that need none */
  apiKey?: string;
  model: string;
  /** Time one call may take; the SDK does not retry on top of it. @default 10000 */
  timeoutMs?: number;
}

/**
 * An {@link LlmClient} over the chat-completions protocol with the `openai` SDK: strict JSON-schema
 * structured output, temperature 0, no SDK retries (the analyzer falls back instead).
 */
export class OpenAiLlmClient implements LlmClient {
  readonly #client: OpenAI;
  readonly #model: string;

  constructor(options: OpenAiLlmClientOptions) {
    if (typeof options?.model !== 'string' || options.model === '')
      throw new TypeError('llm.model must name a model');
    this.#model = options.model;
    this.#client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey ?? process.env.OPENAI_API_KEY ?? 'not-needed',
      timeout: options.timeoutMs ?? 10 * SECOND,
      maxRetries: 0,
    });
  }

  async complete(request: LlmRequest, signal: AbortSignal): Promise<string> {
    const completion = await this.#client.chat.completions.create(
      {
        model: this.#model,
        temperature: 0,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: request.schemaName, strict: true, schema: request.schema },
        },
      },
      { signal },
    );
    const content = completion.choices[0]?.message?.content;
    if (typeof content !== 'string' || content === '')
      throw new Error('the model returned no content');
    return content;
  }
}
