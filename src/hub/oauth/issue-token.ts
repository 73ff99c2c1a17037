import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Claims, HubRole, roleBitsFor } from '../claims';
import { DirectoryData, membershipOf, OAuthClient, TokenSubject } from './directory';

/** Access tokens from the OAuth flows live 60 minutes, as on the real hub. */
export const ACCESS_TOKEN_SECONDS = 3600;
/** Refresh tokens live 7 days, are single-use and are replaced on each use. */
export const REFRESH_TOKEN_SECONDS = 7 * 24 * 3600;

/** What issuing needs from the hub: its clock, its role order and its signing. */
export interface TokenMinter {
  readonly roles: readonly HubRole[];
  nowMs(): number;
  mint(claims: Partial<Claims>): string;
  /** Revokes an access token the hub issued (revoked_access_tokens, the Loom event). */
  revoke(jti: string): Promise<unknown>;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
  audiences: string[];
  bearer: { id: string; type: 'Organization' | 'Person' };
  bearer_on_behalf_of?: { id: string; type: 'Person'; roles: string[] };
  refresh_token?: string;
}

/** `<app>` or `<app>/<credentials name>`: whom the token is for. */
export function audienceOf(client: OAuthClient): string {
  return client.credentialsName === null
    ? client.appName
    : `${client.appName}/${client.credentialsName}`;
}

export function subjectClaim(subject: TokenSubject): string {
  switch (subject.kind) {
    case 'Organization':
      return `Organization/${subject.organizationId}`;
    case 'Person':
      return `Person/${subject.personId}`;
    case 'OnBehalf':
      return `Person/${subject.personId}>Organization/${subject.organizationId}`;
  }
}

/** The person's roles in the organization, in the order of `GET /api/v1/roles`. */
function orderedRoles(
  data: DirectoryData,
  roles: readonly HubRole[],
  personId: string,
  orgId: string,
) {
  const held = membershipOf(data, personId, orgId)?.roles ?? [];
  return roles.map((role) => role.id).filter((id) => held.includes(id));
}

/** How codes and refresh tokens are kept: by their SHA-256, never as given out. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/**
 * Mints the access token (RS256, the keys the hub publishes) and builds the response body the
 * real hub sends. With a `refreshFamily` (the code it all started from), a new refresh token is
 * stored (by its hash) in `data`; null gives none (client credentials).
 */
export function issueTokens(
  minter: TokenMinter,
  data: DirectoryData,
  client: OAuthClient,
  subject: TokenSubject,
  scopes: readonly string[],
  refreshFamily: string | null,
): TokenResponse {
  const now = Math.floor(minter.nowMs() / 1000);
  const audience = audienceOf(client);
  const claims: Partial<Claims> = {
    iss: 'ZAI',
    sub: subjectClaim(subject),
    aud: [audience],
    jti: randomUUID(),
    nbf: now - 5,
    exp: now + ACCESS_TOKEN_SECONDS,
    scope: [...scopes],
  };
  const response: TokenResponse = {
    access_token: '',
    token_type: 'bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    scope: scopes.join(','),
    audiences: [audience],
    bearer:
      subject.kind === 'Person'
        ? { id: subject.personId, type: 'Person' }
        : { id: subject.organizationId, type: 'Organization' },
  };
  if (subject.kind === 'OnBehalf') {
    const roles = orderedRoles(data, minter.roles, subject.personId, subject.organizationId);
    claims.roles = roleBitsFor(minter.roles, roles);
    response.bearer_on_behalf_of = { id: subject.personId, type: 'Person', roles };
  }
  response.access_token = minter.mint(claims);
  if (refreshFamily !== null) {
    const token = randomBytes(32).toString('base64url');
    data.refreshTokens = data.refreshTokens.filter((stored) => stored.expiresAt > minter.nowMs());
    data.refreshTokens.push({
      hash: hashSecret(token),
      family: refreshFamily,
      clientId: client.id,
      subject,
      scopes: [...scopes],
      expiresAt: minter.nowMs() + REFRESH_TOKEN_SECONDS * 1000,
    });
    response.refresh_token = token;
  }
  return response;
}
