import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { analyzeError } from '../../patterns/analyze-error.js';
import type { ErrorInput } from '../../patterns/fingerprint.js';
import { PatternIndex } from '../../patterns/pattern-index.js';
import { CommandExit } from '../command-exit.js';
import { announceStdin, lineWriter, type Io } from '../io.js';

/** Exit code when some input lines were malformed; the others are still analysed. */
export const EXIT_BAD_INPUT = 2;

/**
 * `megamind analyze`: JSON lines in (`{"message": …, "name"?, "code"?, "status"?, "stack"?}`),
 * one JSON line out per error with its `signature` (the exact message shape), its `patternKey`
 * (the root cause, as the pattern book keys it), category, root cause and remedies. Errors no
 * rule knows join the most similar error seen earlier in the same input. A malformed line is
 * reported on `errorOutput` with its line number and skipped; the exit code is then 2.
 */
export async function runAnalyze(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  errorOutput: NodeJS.WritableStream,
): Promise<number> {
  let exitCode = 0;
  let lineNumber = 0;
  const index = new PatternIndex();
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse rejects.
    const text = lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line;
    if (text.trim() === '') continue;
    const parsed = parseErrorLine(text);
    if (typeof parsed === 'string') {
      await write(errorOutput, `line ${lineNumber}: ${parsed}\n`);
      exitCode = EXIT_BAD_INPUT;
      continue;
    }
    await write(
      output,
      `${JSON.stringify({ line: lineNumber, ...analyzeError(parsed, { index }) })}\n`,
    );
  }
  return exitCode;
}

/** The error on one input line, or a sentence saying what is wrong with the line. */
function parseErrorLine(line: string): ErrorInput | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'expected a JSON object';
  const record = value as Record<string, unknown>;
  if (typeof record.message !== 'string') return '"message" must be a string';
  const input: ErrorInput = { message: record.message };
  for (const key of ['name', 'type', 'stack', 'jobType', 'stage'] as const) {
    const field = record[key];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string') return `"${key}" must be a string`;
    input[key] = field;
  }
  if (record.code !== undefined && record.code !== null) {
    if (typeof record.code !== 'string' && typeof record.code !== 'number')
      return '"code" must be a string or a number';
    input.code = record.code;
  }
  if (record.status !== undefined && record.status !== null) {
    if (typeof record.status !== 'number' || !Number.isInteger(record.status))
      return '"status" must be an integer';
    input.status = record.status;
  }
  return input;
}

/** Writes and waits for the stream to drain when it asks to, so a large input cannot pile up. */
function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(text, (error) => {
      if (error) reject(error);
    });
    if (ok) resolve();
    else stream.once('drain', resolve);
  });
}

/** `megamind analyze`: registers {@link runAnalyze} over stdin and stdout. */
export function registerAnalyze(program: Command, io: Io): void {
  program
    .command('analyze')
    .description(
      'analyse errors: JSON lines in on stdin ({"message", "name"?, "code"?, "status"?, "stack"?}), JSON lines out',
    )
    .action(async () => {
      announceStdin(io, 'JSON lines of errors');
      const errors = lineWriter((line) => io.err(line));
      const code = await runAnalyze(io.stdin, io.stdout, errors);
      errors.end();
      if (code !== 0) throw new CommandExit(code);
    });
}
