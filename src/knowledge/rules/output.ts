import { defineRules } from './rule.js';

const STRUCTURED =
  "Use the provider's structured output / JSON mode with a schema, and parse with a tolerant extractor that strips fences.";

/** A model answered, but not with the JSON the job expected (messages as V8, Zod and the SDKs word them). */
export const OUTPUT_RULES = defineRules([
  {
    id: 'output.json_in_code_fence',
    when: {
      message: /Unexpected token '?`'?,? (?:"`|in JSON)|is not valid JSON[\s\S]*```|```json/i,
    },
    // The specific JSON diagnoses must beat the catch-all json_malformed (SyntaxError + JSON).
    priority: 3,
    category: 'code_generation',
    transient: true,
    rootCause:
      'The model wrapped its JSON in a Markdown code fence (```json ... ```), so JSON.parse sees a backtick first.',
    remedies: ['repair_json_output', 'retry'],
    prevention: STRUCTURED,
  },
  {
    id: 'output.prose_instead_of_json',
    when: { message: /Unexpected token '?[A-Za-z]'?(?:, "[A-Za-z]| in JSON at position 0)/ },
    priority: 2,
    category: 'code_generation',
    transient: true,
    rootCause:
      'The model answered with prose ("Here is the JSON…", "Sure!", "I\'m sorry…") instead of bare JSON.',
    remedies: ['repair_json_output', 'retry', 'switch_model'],
    prevention: STRUCTURED,
  },
  {
    id: 'output.json_truncated',
    when: {
      message:
        /Unexpected end of JSON input|Unterminated string in JSON|Unexpected end of data|Unterminated string starting at: line \d+/i,
    },
    priority: 2,
    category: 'code_generation',
    transient: true,
    rootCause: 'The JSON stops mid-way: the completion hit max_tokens or the stream was cut off.',
    remedies: ['repair_json_output', 'reduce_batch_size', 'retry'],
    prevention:
      'Check finish_reason/stop_reason before parsing, leave room in max_tokens, and ask for fewer items per call.',
  },
  {
    id: 'output.json_malformed',
    when: [
      { names: ['SyntaxError'], message: /\bJSON\b/ },
      { message: /in JSON at position \d+|is not valid JSON|\binvalid JSON (?:object|output)\b/i },
      // LangChain's parser of a model's answer.
      { names: ['OutputParserException'] },
      // nlohmann/json, the common C++ parser: `[json.exception.parse_error.101] parse error at …`
      { message: /\[json\.exception\.parse_error\.\d+\]/ },
    ],
    category: 'code_generation',
    transient: true,
    rootCause:
      'The model produced almost-JSON: trailing commas, comments, single quotes or unescaped characters.',
    remedies: ['repair_json_output', 'retry', 'switch_model'],
    prevention: STRUCTURED,
  },
  {
    id: 'output.length_limit',
    when: [
      { names: ['LengthFinishReasonError'] },
      {
        message:
          /length limit was reached|finish_reason(?:=|"?:\s*"?)['"]?length\b|stop_reason(?:=|"?:\s*"?)['"]?max_tokens\b|output (?:was )?truncated (?:because|due to) (?:the )?max(?:imum)?[_ ]tokens/i,
      },
    ],
    category: 'code_generation',
    transient: true,
    rootCause: 'Generation stopped at max_tokens before the structured output was complete.',
    remedies: ['reduce_batch_size', 'reduce_context', 'switch_model'],
    prevention: 'Raise max_tokens or ask for less output per call.',
  },
  {
    id: 'output.schema_mismatch',
    when: [
      { names: ['ZodError', 'TypeValidationError', 'AI_TypeValidationError'] },
      { codes: ['invalid_type', 'invalid_union', 'unrecognized_keys'], message: /"path"/ },
      { message: /No object generated|Type validation failed/i },
    ],
    category: 'code_generation',
    transient: true,
    rootCause:
      'The model returned valid JSON whose shape does not match the schema: missing fields, wrong types, extra keys.',
    remedies: ['repair_json_output', 'retry', 'switch_model'],
    prevention:
      'Send the JSON schema with the request (structured outputs) and feed validation errors back into the retry prompt.',
  },
  {
    id: 'output.html_instead_of_json',
    when: {
      message:
        /Unexpected token '?<'?(?:,\s*"<|\s+in JSON at position 0)|Unexpected Token < at JSON Position 0|"<!DOCTYPE[^"]*"?\.{0,3} is not valid JSON/i,
    },
    // An HTML error page where JSON was expected: the upstream failed, the model did not.
    priority: 4,
    category: 'api_failure',
    transient: true,
    rootCause:
      'The server answered with an HTML page (a proxy error, a login or maintenance page, a 404) where the client expected JSON.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker', 'escalate'],
    prevention: "Check the status and content type before parsing, and log the body's first bytes.",
  },
]);
