import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Inject,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config';
import type { RequestLog } from '../logging';
import { isDatabaseUnreachable } from '../database/database-errors';
import { ZaikioAuthError } from '../zaikio';
import { RateLimitedError } from '../rate-limit/rate-limited.error';
import { resourceMetadataUrlOf } from '../resource-metadata';
import { NotFoundError, ValidationFailedError } from './domain-errors';

/** How long a client should wait before retrying while the database cannot be reached. */
const DATABASE_RETRY_AFTER_SECONDS = '1';

interface WireError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  errorId?: string;
}

/**
 * The one place where errors become HTTP answers: Zaikio's `{"errors": [...]}` shape for
 * everything, `{"errors": {field: [...]}}` for validation, and an opaque id for 5xx whose details
 * stay in the log.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request & { log?: RequestLog }>();
    const wire = this.toWire(exception, request);
    // The request log line (logging/request-logger) carries the same id as the 500 body.
    if (wire.errorId) response.locals.errorId = wire.errorId;
    if (response.headersSent) return;
    response
      .status(wire.status)
      .set(wire.headers ?? {})
      .json(wire.body);
  }

  private toWire(exception: unknown, request: Request & { log?: RequestLog }): WireError {
    const requestLog = request.log;
    if (exception instanceof ZaikioAuthError) {
      return {
        status: exception.status,
        body: exception.body(),
        headers: exception.headers(this.config.appName, resourceMetadataUrlOf(request)),
      };
    }
    if (exception instanceof ValidationFailedError) {
      return { status: 422, body: { errors: exception.fields } };
    }
    if (exception instanceof RateLimitedError) {
      return { status: 429, body: exception.body(), headers: exception.headers() };
    }
    if (exception instanceof NotFoundError) {
      return { status: 404, body: { errors: ['not_found', exception.message] } };
    }
    if (exception instanceof HttpException) {
      // Thrown on purpose by our code or Nest (404 route, 503 not ready): the status stands.
      return { status: exception.getStatus(), body: httpExceptionBody(exception) };
    }
    if (isDatabaseUnreachable(exception)) return this.databaseUnavailable(exception, requestLog);
    const id = randomUUID();
    const detail =
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
    // Through the request's pino logger when there is one, so the line carries the request id.
    if (requestLog) requestLog.error({ error_id: id, err: exception }, `error id ${id}: ${detail}`);
    else this.logger.error(`error id ${id}: ${detail}`);
    return {
      status: 500,
      errorId: id,
      body: { errors: ['internal_error', `Something went wrong on our side (error id ${id}).`] },
    };
  }

  /**
   * The database is down or restarting (the embedded one comes back within a second or two): a
   * 503 the caller can retry, rather than a 500 that reads like a bug. The cause goes to the log.
   */
  private databaseUnavailable(exception: unknown, requestLog?: RequestLog): WireError {
    const cause = exception instanceof Error ? exception.message : String(exception);
    if (requestLog) requestLog.warn({ cause }, `database unreachable: ${cause}`);
    else this.logger.warn(`database unreachable: ${cause}`);
    return {
      status: 503,
      body: {
        errors: ['database_unavailable', 'The database cannot be reached; try again shortly.'],
      },
      headers: { 'Retry-After': DATABASE_RETRY_AFTER_SECONDS },
    };
  }
}

/** Keeps bodies already in Zaikio's shape; turns Nest's own exceptions into it. */
function httpExceptionBody(exception: HttpException): unknown {
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'errors' in response) return response;
  const code = exception.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1_$2');
  const message =
    typeof response === 'object' && response !== null && 'message' in response
      ? [response.message].flat().join('; ')
      : exception.message;
  return { errors: [code.toLowerCase(), message] };
}
