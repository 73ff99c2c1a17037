export type BearerType = 'Organization' | 'Person';
export type Permission = 'r' | 'w' | 'rw';

export interface Party {
  readonly type: BearerType;
  readonly id: string;
}

/** One `aud` entry, split into the app and the optional credentials name (`warehouse/prod`). */
export interface Audience {
  readonly app: string;
  readonly credentialsName: string | null;
}

/** One well-formed scope entry: `<app>.<name>.<permission>`. Malformed entries never get here. */
export interface Scope {
  readonly app: string;
  readonly name: string;
  readonly permission: Permission;
}

/** The acting person of an on-behalf token, with the roles decoded from the bitfield. */
export interface OnBehalfPerson {
  readonly id: string;
  readonly roles: readonly string[];
}

/** What the server understood of a verified Zaikio access token. Handlers receive this. */
export interface AccessToken {
  /** The bearer: the organization for organization and on-behalf tokens, the person otherwise. */
  readonly bearer: Party;
  /** Set only for on-behalf tokens (`Person/<pid>>Organization/<oid>`). */
  readonly onBehalfOf: OnBehalfPerson | null;
  /** The calling apps named in `aud`; empty for a private access token. */
  readonly audiences: readonly Audience[];
  /**
   * A private access token (made by a person in the hub, valid up to a year): its `aud` is empty
   * or names the bearer itself. Accepted only where ZAIKIO_PERSONAL_TOKENS allows.
   */
  readonly personal: boolean;
  readonly scopes: readonly Scope[];
  readonly jti: string | null;
  readonly expiresAt: Date;
}

/** The party that acts: the on-behalf person when there is one, otherwise the bearer. */
export function actingParty(token: AccessToken): Party {
  return token.onBehalfOf ? { type: 'Person', id: token.onBehalfOf.id } : token.bearer;
}

/** The person a Person rule applies to: a Person bearer or the person of an on-behalf token. */
export function actingPersonId(token: AccessToken): string | null {
  if (token.onBehalfOf) return token.onBehalfOf.id;
  return token.bearer.type === 'Person' ? token.bearer.id : null;
}

/** `Organization/<id>` or `Person/<id>`, as `sub` and a private access token's `aud` write it. */
export function formatParty(party: Party): string {
  return `${party.type}/${party.id}`;
}

export function formatScope(scope: Scope): string {
  return `${scope.app}.${scope.name}.${scope.permission}`;
}

export function formatAudience(audience: Audience): string {
  return audience.credentialsName ? `${audience.app}/${audience.credentialsName}` : audience.app;
}
