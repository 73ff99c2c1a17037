import type { LoggerService, LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Logger, LevelWithSilent } from 'pino';
import { isoTime } from './iso-time';
import { RequestLines } from './request-lines';

/** Never logged, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-loom-signature"]',
  'res.headers["set-cookie"]',
];

export interface Loggers {
  /** Everything but request lines: redacts REDACTED_PATHS wherever a caller logs them. */
  readonly root: Logger;
  /**
   * The one line per request (request-logger.ts), into the same stream, at the same level. It
   * carries no headers by construction (the request logger's spec proves it).
   */
  readonly requests: RequestLines;
}

/**
 * One JSON line per event, into `stream` (pino's synchronous stdout unless given; main.ts gives
 * productionLogStream or prettyLogStream); the level comes from LOG_LEVEL (tests use error or
 * silent).
 */
export function createLoggers(level: LevelWithSilent, stream?: DestinationStream): Loggers {
  const base = { level, base: { pid: process.pid }, timestamp: isoTime };
  const destination = stream ?? pino.destination({ dest: 1, sync: true });
  return {
    root: pino({ ...base, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination),
    requests: new RequestLines(level, destination),
  };
}

/** Maps Nest's logger option (e.g. ['error'] in tests, false for none) to a pino level. */
export function levelFromNestOption(levels: LogLevel[] | false | undefined): LevelWithSilent {
  if (levels === undefined) return 'info';
  if (levels === false || levels.length === 0) return 'silent';
  if (levels.includes('verbose') || levels.includes('debug')) return 'debug';
  if (levels.includes('log')) return 'info';
  if (levels.includes('warn')) return 'warn';
  if (levels.includes('error')) return 'error';
  return 'fatal';
}

/** Nest's own log lines (bootstrap, warnings, errors) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack?, context?).
    const context = params.length > 0 ? params[params.length - 1] : undefined;
    const stack = params.length > 1 ? params[0] : undefined;
    this.logger.error(
      { context: typeof context === 'string' ? context : undefined, stack },
      stringify(message),
    );
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(
    level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    params: unknown[],
  ): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const context = params[params.length - 1];
    this.logger[level](
      { context: typeof context === 'string' ? context : undefined },
      stringify(message),
    );
  }
}

function stringify(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.stack ?? message.message;
  try {
    return JSON.stringify(message);
  } catch {
    return String(message);
  }
}
