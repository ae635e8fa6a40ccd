import type { Command } from 'commander';
import type { EnqueueOptions } from '../../app/client.js';
import type { Json } from '../../core/types.js';
import { UsageError } from '../cli-error.js';
import { databaseOption, schemaOption, type Io } from '../io.js';
import { withClient, type DatabaseOptions } from '../open-client.js';

interface EnqueueFlags extends DatabaseOptions {
  priority?: string;
  delay?: string;
  runAt?: string;
  idempotencyKey?: string;
  maxAttempts?: string;
  json?: boolean;
}

function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} must be a whole number >= ${min}, got "${value}"`);
  return n;
}

function parsePayload(text: string | undefined): Json {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new UsageError(
      `the payload must be JSON (e.g. '{"to":"ada@example.com"}'): ${(error as Error).message}`,
    );
  }
}

/** `megamind enqueue TYPE [PAYLOAD]`: adds a job of a type a worker has described. */
export function registerEnqueue(program: Command, io: Io): void {
  program
    .command('enqueue <type> [payload]')
    .description(
      'add a job; PAYLOAD is JSON; the type must be one a worker has described in this database',
    )
    .addOption(databaseOption())
    .addOption(schemaOption())
    .option('-p, --priority <n>', 'higher runs first')
    .option('--delay <ms>', 'run no sooner than this many milliseconds from now')
    .option('--run-at <iso-date>', 'run no sooner than this time')
    .option(
      '--idempotency-key <key>',
      'a second enqueue with the same type and key returns the first job',
    )
    .option('--max-attempts <n>', 'attempts before the job fails for good')
    .option('--json', 'print the job as JSON')
    .action(async (type: string, payloadText: string | undefined, flags: EnqueueFlags) => {
      const payload = parsePayload(payloadText);
      const options: EnqueueOptions = {
        priority:
          flags.priority === undefined
            ? undefined
            : Number.isInteger(Number(flags.priority))
              ? Number(flags.priority)
              : NaN,
        delayMs: wholeNumber('--delay', flags.delay, 0),
        maxAttempts: wholeNumber('--max-attempts', flags.maxAttempts, 1),
        idempotencyKey: flags.idempotencyKey,
      };
      if (Number.isNaN(options.priority))
        throw new UsageError(`--priority must be a whole number, got "${flags.priority}"`);
      if (flags.runAt !== undefined) {
        options.runAt = Date.parse(flags.runAt);
        if (Number.isNaN(options.runAt))
          throw new UsageError(
            `--run-at must be a date such as 2026-12-01T09:00:00Z, got "${flags.runAt}"`,
          );
      }
      await withClient(flags, async (client) => {
        const job = await client.enqueue(type, payload, options);
        io.out(
          flags.json
            ? JSON.stringify(job)
            : `${job.id}  ${job.type}  ${job.status}  due ${new Date(job.runAt).toISOString()}`,
        );
      });
    });
}

/** `megamind cancel ID` and `megamind retry ID`. */
export function registerCancelRetry(program: Command, io: Io): void {
  for (const [name, description] of [
    ['cancel', 'cancel a queued or running job'],
    ['retry', 'queue a failed or cancelled job again, with a fresh round of attempts'],
  ] as const) {
    program
      .command(`${name} <job-id>`)
      .description(description)
      .addOption(databaseOption())
      .addOption(schemaOption())
      .action(async (id: string, flags: DatabaseOptions) => {
        await withClient(flags, async (client) => {
          const job = await client.getJob(id);
          if (!job) throw new UsageError(`no job ${id}`);
          const done = name === 'cancel' ? await client.cancel(id) : await client.retry(id);
          if (!done) {
            const allowed = name === 'cancel' ? 'queued or running' : 'failed or cancelled';
            throw new UsageError(
              `job ${id} is ${job.status}; only a ${allowed} job can be ${name === 'cancel' ? 'cancelled' : 'retried'}`,
            );
          }
          io.out(`${name === 'cancel' ? 'cancelled' : 'queued again'}: ${id} (${job.type})`);
        });
      });
  }
}
