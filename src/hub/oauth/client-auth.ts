import { IncomingMessage } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DirectoryData, OAuthClient } from './directory';
import { OAuthError } from './oauth-error';

export interface ClientCredentials {
  readonly id: string;
  readonly secret: string | null;
  /** Whether they came as HTTP Basic (then a failure answers with a Basic challenge). */
  readonly basic: boolean;
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'client credentials are not form-encoded', 401);
  }
}

/** From the Authorization header (Basic) or else the body's client_id and client_secret. */
export function clientCredentialsOf(
  req: IncomingMessage,
  params: URLSearchParams,
): ClientCredentials | null {
  const header = req.headers.authorization;
  if (header !== undefined && /^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'malformed Basic credentials', 401);
    return {
      id: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
      basic: true,
    };
  }
  const id = params.get('client_id');
  if (id === null || id === '') return null;
  return { id, secret: params.get('client_secret'), basic: false };
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first: timingSafeEqual wants equal lengths, and lengths must not leak either.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The client the request comes from. A confidential client must prove its secret; one that is
 * not confidential only names itself (PKCE or the refresh token proves the rest).
 */
export function authenticateClient(
  data: DirectoryData,
  credentials: ClientCredentials | null,
): OAuthClient {
  if (credentials === null)
    throw new OAuthError('invalid_client', 'client authentication missing', 401);
  const client = data.clients.find((candidate) => candidate.id === credentials.id);
  if (client === undefined) throw new OAuthError('invalid_client', 'unknown client', 401);
  if (client.secret !== null) {
    if (credentials.secret === null || !sameSecret(credentials.secret, client.secret)) {
      throw new OAuthError('invalid_client', 'client authentication failed', 401);
    }
  }
  return client;
}
