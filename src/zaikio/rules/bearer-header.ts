import { IncomingMessage } from 'node:http';
import { ZaikioAuthError, invalidToken } from '../errors/zaikio-auth.error';

/** What may follow `Bearer `: RFC 6750's b64token. */
const B64TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;
const PREFIX = 'Bearer '.length;

/**
 * The bearer token from the Authorization header, the only place we read it from (never the query
 * string or a cookie). Repeated or malformed Bearer headers are refused rather than guessed at.
 *
 * This checks the header's shape only; the token's characters are assertBearerCharacters' job,
 * which the guard runs only for a token that the verified-token cache does not know and that
 * does not decode. A cache hit is the very string that verified before, and scanning ~700
 * characters with a regular expression cost more than the rest of a hit (BENCHMARKS.md).
 */
export function bearerTokenFrom(request: IncomingMessage): string {
  const headers = authorizationHeaders(request);
  if (headers.length === 0) throw noToken('No Authorization header was sent.');
  if (headers.length > 1) throw invalidToken('More than one Authorization header was sent.');
  const header = headers[0];
  if (!/^bearer(\s|$)/i.test(header)) {
    throw noToken('The Authorization header does not use the Bearer scheme.');
  }
  // The scheme is six letters; exactly one space, then a token.
  if (header.length <= PREFIX || header.charCodeAt(PREFIX - 1) !== 32) throw notBearerToken();
  return header.slice(PREFIX);
}

/** Refuses a token with characters a b64token cannot have (a space, a quote, a second `Bearer`). */
export function assertBearerCharacters(token: string): void {
  if (!B64TOKEN.test(token)) throw notBearerToken();
}

function authorizationHeaders(request: IncomingMessage): string[] {
  const values: string[] = [];
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === 13 && raw[i].toLowerCase() === 'authorization') values.push(raw[i + 1]);
  }
  return values;
}

function notBearerToken(): ZaikioAuthError {
  return invalidToken('The Authorization header is not "Bearer <token>".');
}

function noToken(description: string): ZaikioAuthError {
  return new ZaikioAuthError('no_jwt_passed', description);
}
