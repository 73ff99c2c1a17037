import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  ACCESS_TOKEN_PROPERTY,
  AccessToken,
  formatAudience,
  memoized,
  TokenMemoSlot,
} from '../zaikio';
import { LineLevel, RequestLines, TokenFragment, tokenFragment } from './request-lines';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Level = LineLevel;

/** What `request.log` offers: lines that carry the request's id, method and url. */
export interface RequestLog {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

interface LoggedRequest extends IncomingMessage {
  id?: string;
  log?: RequestLog;
}

interface RequestFields {
  readonly id: string;
  readonly method: string | undefined;
  readonly url: string | undefined;
}

/**
 * `request.log` without a pino child logger: pino serialises a child's bindings when the child is
 * made, which every request would pay for whether or not a line is ever written. This writes
 * through the root logger and adds the request fields only to lines that are written.
 */
class LazyRequestLog implements RequestLog {
  constructor(
    private readonly logger: Logger,
    private readonly req: RequestFields,
  ) {}

  error(fields: object, message: string): void {
    this.write('error', fields, message);
  }

  warn(fields: object, message: string): void {
    this.write('warn', fields, message);
  }

  info(fields: object, message: string): void {
    this.write('info', fields, message);
  }

  private write(level: Level, fields: object, message: string): void {
    if (this.logger.isLevelEnabled(level))
      this.logger[level]({ req: this.req, ...fields }, message);
  }
}

/**
 * Request logging: an id per request (the caller's X-Request-Id when it is sane, else a UUID,
 * echoed in the response), `request.log` for code that logs about the request, and one line when
 * the response finished (or the client went away) with status, duration, the bearer and the
 * audience app of the verified token, and the error id of a 500. Never the token, never headers.
 *
 * Our own middleware rather than pino-http: pino-http made two child loggers per request (bindings
 * serialised and redacted at once); the public route served ~16 000 req/s with it and ~25 000
 * without it (BENCHMARKS.md). Nothing is built for a line below the configured level. The
 * finished-request line goes to `lines` (Loggers.requests), in the same stream as `logger`'s.
 */
export function requestLogger(
  logger: Logger,
  lines: RequestLines,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (request, response, next) => {
    const req = request as LoggedRequest;
    const startedAt = Date.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.setHeader('X-Request-Id', id);
    req.id = id;
    const fields: RequestFields = { id, method: req.method, url: req.url };
    req.log = new LazyRequestLog(logger, fields);
    response.once('close', () => logCompletion(lines, req, response, fields, startedAt));
    next();
  };
}

/**
 * The line fragment of each verified token, made once: a token from the verified-token cache comes
 * back as the same object, so its later requests reuse the string.
 */
const FRAGMENT = new TokenMemoSlot<TokenFragment>('request line token fields');
const fragmentOf = (token: AccessToken): TokenFragment =>
  tokenFragment({
    bearer: `${token.bearer.type}/${token.bearer.id}`,
    actingPerson: token.onBehalfOf?.id,
    audience: token.audiences.map(formatAudience),
    jti: token.jti ?? undefined,
  });

function logCompletion(
  lines: RequestLines,
  req: LoggedRequest,
  res: ServerResponse,
  fields: RequestFields,
  startedAt: number,
): void {
  const finished = res.writableFinished;
  const level: Level = finished ? levelOf(res.statusCode) : 'warn';
  if (!lines.enabled(level)) return;
  const token = (req as unknown as Record<string, unknown>)[ACCESS_TOKEN_PROPERTY] as
    AccessToken | undefined;
  const errorId = (res as { locals?: { errorId?: unknown } }).locals?.errorId;
  lines.write(level, {
    req: fields,
    token: token && memoized(token, FRAGMENT, fragmentOf),
    errorId: typeof errorId === 'string' ? errorId : undefined,
    statusCode: res.statusCode,
    responseTime: Date.now() - startedAt,
    msg: !finished
      ? 'request aborted'
      : res.statusCode >= 500
        ? 'request errored'
        : 'request completed',
  });
}

function levelOf(statusCode: number): Level {
  if (statusCode === 503) return 'warn';
  return statusCode >= 500 ? 'error' : 'info';
}
