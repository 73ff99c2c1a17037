import { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError, readFormBody, sendJson } from '../http-util';
import { AuthorizationCodes } from './authorization-codes';
import { clientCredentialsOf } from './client-auth';
import { DirectoryStore } from './directory';
import { TokenMinter } from './issue-token';
import { OAuthError } from './oauth-error';
import { exchange } from './token-endpoint';

export const OAUTH_PREFIX = '/oauth/';
export const TOKEN_PATH = '/oauth/access_token';
export const AUTHORIZE_PATH = '/oauth/authorize';

/** Token responses must never be cached (RFC 6749 §5.1). */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * The hub's OAuth 2 authorization server: the token endpoint (client credentials, authorization
 * code with PKCE, refresh token) and the authorization endpoint with its consent page.
 */
export class OAuthServer {
  readonly codes = new AuthorizationCodes();

  constructor(
    readonly store: DirectoryStore,
    readonly minter: TokenMinter,
  ) {}

  /** Handles a request under OAUTH_PREFIX. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    // Browsers (Swagger UI) exchange codes from another origin; the endpoints are public anyway.
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'authorization, content-type, accept, x-requested-with',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (pathname === TOKEN_PATH && req.method === 'POST') return this.token(req, res);
    sendJson(res, 404, { errors: ['not_found'] });
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let credentials = null;
    try {
      const params = await readFormBody(req);
      credentials = clientCredentialsOf(req, params);
      const body = await exchange(this, params, credentials);
      res.writeHead(200, { ...NO_STORE, 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    } catch (error) {
      const refusal =
        error instanceof BadRequestError
          ? new OAuthError('invalid_request', error.message, error.status)
          : error;
      if (!(refusal instanceof OAuthError)) throw refusal;
      const challenge: Record<string, string> =
        refusal.status === 401 && credentials?.basic !== false
          ? { 'www-authenticate': 'Basic realm="Zaikio hub"' }
          : {};
      res.writeHead(refusal.status, {
        ...NO_STORE,
        ...challenge,
        'content-type': 'application/json; charset=utf-8',
      });
      res.end(JSON.stringify(refusal.body()));
    }
  }
}
