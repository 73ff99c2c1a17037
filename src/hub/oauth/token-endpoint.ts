import { createHash } from 'node:crypto';
import { authenticateClient, ClientCredentials } from './client-auth';
import { AuthorizationCodes, PendingCode, TokenFamilies } from './authorization-codes';
import {
  DirectoryData,
  DirectoryStore,
  grantBearerOf,
  grantCovers,
  grantOf,
  membershipOf,
  OAuthClient,
  TokenSubject,
} from './directory';
import { hashSecret, issueTokens, TokenMinter, TokenResponse } from './issue-token';
import { OAuthError } from './oauth-error';
import { applicableScopes, parseScopeRequest, ScopeError, ScopeRequest } from './requested-scope';

export interface TokenEndpointContext {
  readonly store: DirectoryStore;
  readonly minter: TokenMinter;
  readonly codes: AuthorizationCodes;
  readonly families: TokenFamilies;
}

/** `POST /oauth/access_token`: one of the three grants, or an RFC 6749 error. */
export async function exchange(
  context: TokenEndpointContext,
  params: URLSearchParams,
  credentials: ClientCredentials | null,
): Promise<TokenResponse> {
  const grantType = params.get('grant_type');
  switch (grantType) {
    case 'client_credentials':
      return context.store.update((data) => {
        const client = authenticateClient(data, credentials);
        return clientCredentials(context.minter, data, client, params.get('scope') ?? undefined);
      });
    case 'authorization_code': {
      // A refusal that revokes something is returned, not thrown, so that the change is kept.
      const answer = await context.store.update((data) => {
        const client = authenticateClient(data, credentials);
        const code = params.get('code');
        if (code === null || code === '') {
          throw new OAuthError('invalid_request', 'code is missing');
        }
        const pending = context.codes.take(code, context.minter.nowMs());
        if (pending === undefined) return refuseReusedCode(context, data, code);
        const { subject, scopes } = checkCode(pending, client, params);
        const family = hashSecret(code);
        return issueTokens(familyMinter(context, family), data, client, subject, scopes, family);
      });
      if (!('refusal' in answer)) return answer;
      for (const jti of answer.revoked) await context.minter.revoke(jti);
      throw answer.refusal;
    }
    case 'refresh_token':
      return context.store.update((data) => refresh(context, data, params, credentials));
    case null:
    case '':
      throw new OAuthError('invalid_request', 'grant_type is missing');
    default:
      throw new OAuthError('unsupported_grant_type', `grant_type "${grantType}" is not supported`);
  }
}

/** Runs `check`, turning a scope refusal into `invalid_scope` with Zaikio's id. */
export function scopeChecked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ScopeError) throw new OAuthError('invalid_scope', error.id);
    throw error;
  }
}

function clientCredentials(
  minter: TokenMinter,
  data: DirectoryData,
  client: OAuthClient,
  scopeParameter: string | undefined,
): TokenResponse {
  if (client.secret === null) {
    throw new OAuthError('unauthorized_client', 'client credentials need a confidential client');
  }
  const { subject, scopes } = scopeChecked(() => {
    const request = parseScopeRequest(scopeParameter);
    const subject = namedSubject(data, request);
    const applicable = applicableScopes(request, client.desiredScopes);
    const grantBearer = grantBearerOf(subject);
    if (grantOf(data, client.id, grantBearer) === undefined) {
      throw new ScopeError('bearer_does_not_exist', 'the bearer never authorized this client');
    }
    for (const scope of applicable) {
      if (!grantCovers(data, client.id, grantBearer, [scope])) {
        throw new ScopeError('ungranted_scope', `"${scope}" was never granted`);
      }
    }
    return { subject, scopes: applicable };
  });
  // Zaikio stopped handing out refresh tokens with this grant: the client just asks again.
  return issueTokens(minter, data, client, subject, scopes, null);
}

/** The bearer the client credentials scopes name with their ids; it must exist. */
function namedSubject(data: DirectoryData, request: ScopeRequest): TokenSubject {
  const missing = () =>
    new ScopeError(
      'bearer_does_not_exist',
      'name the bearer: Org/<id>., Per/<id>. or Per/<p>>Org/<o>.',
    );
  const organization = request.organizationId;
  const person = request.personId;
  const orgExists = data.organizations.some((o) => o.id === organization);
  const personExists = data.persons.some((p) => p.id === person);
  switch (request.bearer) {
    case 'Org':
      if (organization === null || !orgExists) throw missing();
      return { kind: 'Organization', organizationId: organization };
    case 'Per':
      if (person === null || !personExists) throw missing();
      return { kind: 'Person', personId: person };
    case 'Per>Org':
      if (person === null || organization === null || !membershipOf(data, person, organization)) {
        throw missing();
      }
      return { kind: 'OnBehalf', personId: person, organizationId: organization };
  }
}

/**
 * RFC 6749 §4.1.2: a code used a second time is refused, and the tokens issued for it are
 * revoked, refresh tokens (rotated ones too) and access tokens: someone other than the client may
 * hold the code.
 */
function refuseReusedCode(
  context: TokenEndpointContext,
  data: DirectoryData,
  code: string,
): { refusal: OAuthError; revoked: string[] } {
  const family = hashSecret(code);
  data.refreshTokens = data.refreshTokens.filter((stored) => stored.family !== family);
  return {
    refusal: new OAuthError('invalid_grant', 'the code is unknown or was already used'),
    revoked: context.families.take(family, context.minter.nowMs()),
  };
}

/** The hub's minter, noting each access token as one of the code's family. */
function familyMinter(context: TokenEndpointContext, family: string): TokenMinter {
  const { minter, families } = context;
  return {
    roles: minter.roles,
    nowMs: () => minter.nowMs(),
    revoke: (jti) => minter.revoke(jti),
    mint: (claims) => {
      families.add(family, String(claims.jti), Number(claims.exp) * 1000);
      return minter.mint(claims);
    },
  };
}

/** The code's bindings: the client, the redirect URI and the PKCE verifier. */
function checkCode(
  pending: PendingCode | 'expired',
  client: OAuthClient,
  params: URLSearchParams,
): PendingCode {
  if (pending === 'expired') throw new OAuthError('invalid_grant', 'the code has expired');
  if (pending.clientId !== client.id) {
    throw new OAuthError('invalid_grant', 'the code was issued to another client');
  }
  const redirectUri = params.get('redirect_uri');
  if ((pending.redirectUriGiven || redirectUri !== null) && redirectUri !== pending.redirectUri) {
    throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request');
  }
  if (pending.challenge !== null) {
    const verifier = params.get('code_verifier');
    if (verifier === null || verifier === '') {
      throw new OAuthError('invalid_grant', 'code_verifier is missing (PKCE)');
    }
    const derived =
      pending.challenge.method === 'S256'
        ? createHash('sha256').update(verifier).digest('base64url')
        : verifier;
    if (derived !== pending.challenge.value) {
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    }
  }
  return pending;
}

function refresh(
  context: TokenEndpointContext,
  data: DirectoryData,
  params: URLSearchParams,
  credentials: ClientCredentials | null,
): TokenResponse {
  const token = params.get('refresh_token');
  if (token === null || token === '') {
    throw new OAuthError('invalid_request', 'refresh_token is missing');
  }
  const hash = hashSecret(token);
  const stored = data.refreshTokens.find((entry) => entry.hash === hash);
  // A client that is not confidential has no secret: the refresh token alone names it.
  const client = authenticateClient(
    data,
    credentials ?? (stored ? { id: stored.clientId, secret: null, basic: false } : null),
  );
  if (stored === undefined || stored.clientId !== client.id) {
    throw new OAuthError('invalid_grant', 'the refresh token is unknown or was already used');
  }
  // Single use: gone before anything else can fail.
  data.refreshTokens = data.refreshTokens.filter((entry) => entry !== stored);
  if (stored.expiresAt <= context.minter.nowMs()) {
    throw new OAuthError('invalid_grant', 'the refresh token has expired');
  }
  // As on the real hub, a refresh is refused once the bearer's permissions have changed.
  const { subject } = stored;
  const left =
    subject.kind === 'OnBehalf' && !membershipOf(data, subject.personId, subject.organizationId);
  if (left || !grantCovers(data, client.id, grantBearerOf(subject), stored.scopes)) {
    throw new OAuthError('invalid_grant', 'the bearer no longer grants these scopes');
  }
  const family = stored.family ?? hash;
  return issueTokens(familyMinter(context, family), data, client, subject, stored.scopes, family);
}
