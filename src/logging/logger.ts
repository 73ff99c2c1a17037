import type { LoggerService, LogLevel } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import pino, { Logger, LevelWithSilent } from 'pino';
import pinoHttp, { HttpLogger } from 'pino-http';
import { ACCESS_TOKEN_PROPERTY, AccessToken, formatAudience } from '../zaikio';

/** Never logged, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-loom-signature"]',
  'res.headers["set-cookie"]',
];

/** One JSON line per event on stdout; the level comes from LOG_LEVEL (tests use error or silent). */
export function createRootLogger(level: LevelWithSilent): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
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

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request logging: an id per request (the caller's X-Request-Id when it is sane, else a UUID,
 * echoed in the response), one line when the response finished with status, duration, the bearer
 * and the audience app of the verified token, and the error id of a 500. Never the token.
 */
export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const incoming = request.headers['x-request-id'];
      const id =
        typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      response.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_request, response, error) => levelOf(response, error),
    // Skipped when the line will not be written: this runs for every response.
    customProps: (request, response) =>
      logger.isLevelEnabled(levelOf(response, undefined)) ? callerFields(request, response) : {},
    serializers: {
      req: (request: { id: unknown; method: string; url: string }) => ({
        id: request.id,
        method: request.method,
        url: request.url,
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    wrapSerializers: false,
  });
}

function levelOf(response: ServerResponse, error: unknown): 'error' | 'warn' | 'info' {
  if (error || (response.statusCode >= 500 && response.statusCode !== 503)) return 'error';
  if (response.statusCode === 503) return 'warn';
  return 'info';
}

/** Who called: the verified token's bearer and audience apps (only after authentication). */
function callerFields(request: IncomingMessage, response: ServerResponse): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const token = (request as unknown as Record<string, unknown>)[ACCESS_TOKEN_PROPERTY] as
    AccessToken | undefined;
  if (token) {
    fields.bearer = `${token.bearer.type}/${token.bearer.id}`;
    if (token.onBehalfOf) fields.acting_person = token.onBehalfOf.id;
    fields.audience = token.audiences.map(formatAudience);
    if (token.jti) fields.jti = token.jti;
  }
  const errorId = (response as { locals?: { errorId?: unknown } }).locals?.errorId;
  if (typeof errorId === 'string') fields.error_id = errorId;
  return fields;
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
