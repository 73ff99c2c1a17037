import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

const JSON_LIMIT = '100kb';
const WEBHOOK_LIMIT = '64kb';
/**
 * Deepest JSON body accepted (`{}` and `[]` count one level each). Our DTOs are flat; the limit
 * keeps the recursive walks after parsing (Nest's pipe, class-transformer, class-validator) far
 * from the stack's end: 100 kB of `[` is 100,000 levels, which overflowed it (a 500).
 */
export const MAX_JSON_DEPTH = 32;
/** The 400 sentence for a body nested deeper than MAX_JSON_DEPTH (code `json_too_deep`). */
export const JSON_TOO_DEEP = `The request body nests more than ${MAX_JSON_DEPTH} levels deep.`;

/**
 * Body parsing, set up before any route: the webhook keeps its raw bytes (its signature covers
 * them), everything else is JSON. Parser failures answer in Zaikio's error shape instead of
 * Express's HTML page.
 */
export function installBodyParsers(app: INestApplication): void {
  app.use('/webhooks/zaikio', express.raw({ type: () => true, limit: WEBHOOK_LIMIT }));
  app.use(requireJsonBodies);
  // Not strict: a scalar or null body reaches the validation pipe, which answers that a JSON
  // object is expected (422) instead of calling valid JSON malformed.
  app.use(express.json({ limit: JSON_LIMIT, strict: false }));
  app.use(refuseDeepBodies);
  app.use(bodyParserErrorHandler);
}

function refuseDeepBodies(request: Request, response: Response, next: NextFunction): void {
  if (jsonDepthExceeds(request.body, MAX_JSON_DEPTH)) {
    response.status(400).json({ errors: ['json_too_deep', JSON_TOO_DEEP] });
    return;
  }
  next();
}

/** Whether a parsed JSON value nests objects and arrays deeper than `limit`; iterative. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  if (Buffer.isBuffer(value)) return false;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > limit) return true;
    for (const member of Object.values(next.value)) pending.push({ value: member, depth });
  }
  return false;
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

export const UNDECODABLE_BODY = 'The request body does not decode as its Content-Encoding says.';

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
    // body-parser hands on zlib's error for a body that does not inflate, with status 400 and
    // no type: the client's bytes, not our fault.
    if (parserError?.status === 400) {
      response.status(400).json({ errors: ['bad_request', UNDECODABLE_BODY] });
    } else {
      next(error);
    }
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
