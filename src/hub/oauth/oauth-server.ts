import { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError, readFormBody, sendBody, sendJson } from '../http-util';
import {
  AuthorizationCodes,
  CODE_SECONDS,
  OneTimeKeys,
  TokenFamilies,
} from './authorization-codes';
import {
  AuthorizationRequest,
  authorizationRequest,
  authorizationTarget,
  AuthorizationTarget,
  AuthorizePageError,
} from './authorization-request';
import { clientCredentialsOf } from './client-auth';
import { approve } from './consent';
import { consentPage, errorPage, PAGE_HEADERS } from './consent-page';
import { DirectoryStore } from './directory';
import { TokenMinter } from './issue-token';
import { OAuthError } from './oauth-error';
import { exchange } from './token-endpoint';

export const OAUTH_PREFIX = '/oauth/';
export const TOKEN_PATH = '/oauth/access_token';
export const AUTHORIZE_PATH = '/oauth/authorize';

/** Token responses must never be cached (RFC 6749 §5.1). */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const HTML = 'text/html; charset=utf-8';

/** A consent page, shown and not yet answered; it expires with the code lifetime. */
interface PendingConsent {
  readonly request: AuthorizationRequest;
  readonly expiresAt: number;
}

/**
 * The hub's OAuth 2 authorization server: the token endpoint (client credentials, authorization
 * code with PKCE, refresh token) and the authorization endpoint with its consent page.
 */
export class OAuthServer {
  readonly codes = new AuthorizationCodes();
  readonly families = new TokenFamilies();
  private readonly consents = new OneTimeKeys<PendingConsent>();

  constructor(
    readonly store: DirectoryStore,
    readonly minter: TokenMinter,
  ) {}

  /** Handles a request under OAUTH_PREFIX. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (pathname === TOKEN_PATH) return this.tokenRoute(req, res);
    if (pathname === AUTHORIZE_PATH && req.method === 'GET') return this.showConsent(req, res);
    if (pathname === AUTHORIZE_PATH && req.method === 'POST') return this.decide(req, res);
    sendJson(res, 404, { errors: ['not_found'] });
  }

  private async tokenRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Browsers (Swagger UI) exchange codes from another origin. Only here: the consent page
    // must not be readable by other origins.
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'authorization, content-type, accept, x-requested-with',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (req.method === 'POST') return this.token(req, res);
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

  /** `GET /oauth/authorize`: the consent page, or the error the request earns. */
  private async showConsent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const query = (req.url ?? '').split('?').slice(1).join('?');
    const params = new URLSearchParams(query);
    const data = await this.store.read();
    let target: AuthorizationTarget;
    try {
      target = authorizationTarget(data, params);
    } catch (error) {
      if (error instanceof AuthorizePageError) return sendPage(res, 400, errorPage(error.message));
      throw error;
    }
    let request: AuthorizationRequest;
    try {
      request = authorizationRequest(data, target, params);
    } catch (error) {
      if (error instanceof OAuthError) return redirect(res, target, error.body());
      throw error;
    }
    const expiresAt = this.minter.nowMs() + CODE_SECONDS * 1000;
    const consentKey = this.consents.issue({ request, expiresAt });
    sendPage(res, 200, consentPage({ request, data, consentKey, action: AUTHORIZE_PATH }));
  }

  /** `POST /oauth/authorize`: the consent page's answer. */
  private async decide(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let form: URLSearchParams;
    try {
      form = await readFormBody(req);
    } catch (error) {
      if (error instanceof BadRequestError) {
        return sendPage(res, error.status, errorPage(error.message));
      }
      throw error;
    }
    const now = this.minter.nowMs();
    const consentKey = form.get('consent') ?? '';
    const pending = this.consents.peek(consentKey, now);
    if (pending === undefined) {
      const message = 'This sign-in request is unknown or has expired: start again from the app.';
      return sendPage(res, 400, errorPage(message));
    }
    const { request } = pending;
    const decision = form.get('decision');
    if (decision === 'deny') {
      this.consents.take(consentKey, now);
      return redirect(res, request, {
        error: 'access_denied',
        error_description: 'the person denied the request',
      });
    }
    if (decision !== 'approve') {
      return sendPage(res, 400, errorPage('The answer must be approve or deny.'));
    }
    const choice = { personId: form.get('person'), organizationId: form.get('organization') };
    const outcome = await this.store.update((data) => approve(data, request, choice));
    if (outcome.kind === 'ask-again') {
      const data = await this.store.read();
      const page = consentPage({
        request,
        data,
        consentKey,
        message: outcome.message,
        choice,
        action: AUTHORIZE_PATH,
      });
      return sendPage(res, 400, page);
    }
    this.consents.take(consentKey, now);
    if (outcome.kind === 'refused') return redirect(res, request, outcome.error.body());
    const code = this.codes.issue({
      clientId: request.client.id,
      redirectUri: request.redirectUri,
      redirectUriGiven: request.redirectUriGiven,
      challenge: request.challenge,
      subject: outcome.subject,
      scopes: outcome.scopes,
      expiresAt: now + CODE_SECONDS * 1000,
    });
    redirect(res, request, { code });
  }
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  sendBody(res, status, html, HTML, PAGE_HEADERS);
}

/** Back to the client's registered redirect URI, reflecting `state` (RFC 6749 §4.1.2). */
function redirect(
  res: ServerResponse,
  target: AuthorizationTarget,
  answer: Readonly<Record<string, string>>,
): void {
  const location = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(answer)) location.searchParams.set(name, value);
  if (target.state !== null) location.searchParams.set('state', target.state);
  // Spaces as %20, not `+`: both are valid, but clients that decode with decodeURIComponent
  // (Swagger UI's redirect page) would show a user `the+person+denied+the+request`.
  location.search = location.searchParams.toString().replace(/\+/g, '%20');
  res.writeHead(302, { location: location.toString(), 'cache-control': 'no-store' });
  res.end();
}
