import { PkceChallenge } from './authorization-codes';
import { DirectoryData, OAuthClient } from './directory';
import { OAuthError } from './oauth-error';
import { applicableScopes, parseScopeRequest, ScopeError, ScopeRequest } from './requested-scope';
import { scopeChecked } from './token-endpoint';

/**
 * A request the hub must not answer by redirecting (RFC 6749 §4.1.2.1): the client is unknown or
 * the redirect URI is not one of its registered ones, so the browser stays on the hub's page.
 */
export class AuthorizePageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizePageError';
  }
}

/** Where the answer goes: the registered redirect URI, with the state to reflect. */
export interface AuthorizationTarget {
  readonly client: OAuthClient;
  readonly redirectUri: string;
  /** Whether the request named the redirect URI (then the code exchange must name it too). */
  readonly redirectUriGiven: boolean;
  readonly state: string | null;
}

export interface AuthorizationRequest extends AuthorizationTarget {
  readonly scopeRequest: ScopeRequest;
  /** The unprefixed scopes the bearer can have (desired for its kind). */
  readonly scopes: readonly string[];
  readonly challenge: PkceChallenge | null;
}

/** RFC 7636 §4.1/§4.2: 43 to 128 unreserved characters (an S256 challenge is 43). */
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

/** A parameter given at most once (RFC 6749 §3.1); '' reads as absent. */
function single(params: URLSearchParams, name: string, onRepeat: (message: string) => Error) {
  const values = params.getAll(name);
  if (values.length > 1) throw onRepeat(`${name} is given more than once`);
  return values[0] === undefined || values[0] === '' ? null : values[0];
}

/** Checks client_id and redirect_uri; a failure here is shown on the hub's own page. */
export function authorizationTarget(
  data: DirectoryData,
  params: URLSearchParams,
): AuthorizationTarget {
  const page = (message: string) => new AuthorizePageError(message);
  const clientId = single(params, 'client_id', page);
  if (clientId === null) throw page('The request names no client_id.');
  const client = data.clients.find((candidate) => candidate.id === clientId);
  if (client === undefined) throw page('The client_id is not registered with this hub.');
  const given = single(params, 'redirect_uri', page);
  const redirectUri = given ?? client.redirectUris[0];
  if (redirectUri === undefined) throw page('The client has no registered redirect URI.');
  if (!client.redirectUris.includes(redirectUri)) {
    throw page('The redirect_uri is not registered for this client (exact match required).');
  }
  const state = single(params, 'state', page);
  return { client, redirectUri, redirectUriGiven: given !== null, state };
}

/**
 * The rest of the request, once the answer can go back to the client: response type, PKCE and
 * scopes. A failure is an OAuthError for the redirect (invalid_scope carries Zaikio's id).
 */
export function authorizationRequest(
  data: DirectoryData,
  target: AuthorizationTarget,
  params: URLSearchParams,
): AuthorizationRequest {
  const invalid = (message: string) => new OAuthError('invalid_request', message);
  const responseType = single(params, 'response_type', invalid);
  if (responseType === null) throw invalid('response_type is missing');
  if (responseType !== 'code') {
    throw new OAuthError('unsupported_response_type', 'only response_type=code is supported');
  }
  const challenge = pkceChallenge(
    single(params, 'code_challenge', invalid),
    single(params, 'code_challenge_method', invalid),
  );
  if (challenge === null && target.client.secret === null) {
    throw invalid('PKCE (code_challenge) is required for clients that are not confidential');
  }
  const scopeParameter = single(params, 'scope', invalid) ?? undefined;
  const { scopeRequest, scopes } = scopeChecked(() => {
    const request = parseScopeRequest(scopeParameter);
    // The person is whoever signs in: naming one is for the client credentials flow only.
    if (request.personId !== null) {
      throw new ScopeError('unpermitted_bearer_id', 'the redirect flow cannot name a person');
    }
    const org = request.organizationId;
    if (org !== null && !data.organizations.some((candidate) => candidate.id === org)) {
      throw new ScopeError('bearer_does_not_exist', `no organization "${org}"`);
    }
    return {
      scopeRequest: request,
      scopes: applicableScopes(request, target.client.desiredScopes),
    };
  });
  return { ...target, scopeRequest, scopes, challenge };
}

function pkceChallenge(value: string | null, method: string | null): PkceChallenge | null {
  const invalid = (message: string) => new OAuthError('invalid_request', message);
  if (value === null) {
    if (method !== null) throw invalid('code_challenge_method without code_challenge');
    return null;
  }
  // Zaikio wants the method named, although RFC 7636 would default to plain.
  if (method !== 'S256' && method !== 'plain') {
    throw invalid('code_challenge_method must be S256 or plain');
  }
  if (!PKCE_VALUE.test(value)) {
    throw invalid('code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~');
  }
  return { value, method };
}
