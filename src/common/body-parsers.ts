import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

const JSON_LIMIT = '100kb';
const WEBHOOK_LIMIT = '64kb';

/**
 * Body parsing, set up before any route: the webhook keeps its raw bytes (its signature covers
 * them), everything else is JSON. Parser failures answer in Zaikio's error shape instead of
 * Express's HTML page.
 */
export function installBodyParsers(app: INestApplication): void {
  app.use('/webhooks/zaikio', express.raw({ type: () => true, limit: WEBHOOK_LIMIT }));
  app.use(requireJsonBodies);
  app.use(express.json({ limit: JSON_LIMIT }));
  app.use(bodyParserErrorHandler);
}

/** A body in another format would otherwise be silently ignored and reported as missing fields. */
function requireJsonBodies(request: Request, response: Response, next: NextFunction): void {
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    Number(request.headers['content-length'] ?? 0) > 0;
  if (
    !hasBody ||
    request.is(['application/json', 'application/*+json']) ||
    Buffer.isBuffer(request.body)
  ) {
    next();
    return;
  }
  response.status(415).json({
    errors: [
      'unsupported_media_type',
      'Send request bodies as JSON (Content-Type: application/json).',
    ],
  });
}

interface BodyParserError {
  status?: number;
  type?: string;
}

function bodyParserErrorHandler(
  error: unknown,
  _request: Request,
  response: Response,
  next: NextFunction,
): void {
  const parserError = error as BodyParserError;
  if (typeof parserError?.type !== 'string') {
    next(error);
    return;
  }
  if (parserError.type === 'entity.parse.failed') {
    response.status(400).json({
      errors: ['malformed_json', 'The request body is not valid JSON.'],
    });
  } else if (parserError.type === 'entity.too.large') {
    response.status(413).json({ errors: ['payload_too_large', 'The request body is too large.'] });
  } else {
    response
      .status(parserError.status ?? 400)
      .json({ errors: ['bad_request', 'The request body could not be read.'] });
  }
}
