/** Structured fields of a log line. */
export type LogFields = Record<string, unknown>;

/**
 * Where Mega Mind writes what it does: pino's calling convention (fields first, then the message),
 * so a pino logger — the default — or any logger with the same four methods can be passed in.
 */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  /**
   * Whether a level would be written (pino's method). Optional: when present, lines a busy worker
   * writes per job are not even built at a disabled level.
   */
  isLevelEnabled?(level: string): boolean;
}

/** Log levels, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A logger that writes nothing. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  isLevelEnabled: () => false,
};
