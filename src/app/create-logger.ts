import pino from 'pino';
import { invalidArgument } from '../core/errors.js';
import { LOG_LEVELS, type Logger, type LogLevel } from '../core/logger.js';
import { redact, redactDeep } from '../patterns/redact.js';

/** What {@link createLogger} takes. */
export interface LoggerOptions {
  /** The least severe level written. @default process.env.MEGAMIND_LOG_LEVEL, else 'info' */
  level?: LogLevel;
  /** Where JSON lines go. @default standard error */
  destination?: { write(line: string): unknown };
}

/**
 * The default logger: pino, one JSON object per line on standard error, with every message and
 * field passed through the same redaction as recorded errors (secrets, tokens, emails, URL
 * passwords), so a log line never carries what the pattern book would not.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.MEGAMIND_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  if (!LOG_LEVELS.includes(level))
    throw invalidArgument(
      `log level must be one of ${LOG_LEVELS.join(', ')}, got "${String(level)}"`,
    );
  return pino(
    {
      name: 'megamind',
      level,
      formatters: { log: (fields) => redactDeep(fields) },
      serializers: { err: pino.stdSerializers.err },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? redact(arg) : arg)) as Parameters<
              typeof method
            >,
          );
        },
      },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
