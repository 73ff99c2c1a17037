import { IncomingMessage } from 'node:http';
import { ZaikioAuthError, invalidToken } from '../errors/zaikio-auth.error';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * The bearer token from the Authorization header, the only place we read it from (never the query
 * string or a cookie). Repeated or malformed Bearer headers are refused rather than guessed at.
 */
export function bearerTokenFrom(request: IncomingMessage): string {
  const headers = authorizationHeaders(request);
  if (headers.length === 0) throw noToken('No Authorization header was sent.');
  if (headers.length > 1) throw invalidToken('More than one Authorization header was sent.');
  const header = headers[0];
  if (!/^bearer(\s|$)/i.test(header)) {
    throw noToken('The Authorization header does not use the Bearer scheme.');
  }
  const match = BEARER.exec(header);
  if (!match) throw invalidToken('The Authorization header is not "Bearer <token>".');
  return match[1];
}

function authorizationHeaders(request: IncomingMessage): string[] {
  const values: string[] = [];
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === 13 && raw[i].toLowerCase() === 'authorization') values.push(raw[i + 1]);
  }
  return values;
}

function noToken(description: string): ZaikioAuthError {
  return new ZaikioAuthError('no_jwt_passed', description);
}
