import { Audience, Party, Permission, Scope } from './access-token';

/** Zaikio's grammar for app names (`<app>` in scopes and audiences). */
export const APP_NAME = /^[a-z][a-z0-9_]{2,}$/;
const SCOPE = /^([a-z][a-z0-9_]{2,})\.([a-z][a-z_]{2,})\.(rw|r|w)$/;
/** Ids are UUIDs in production and short words in fixtures; never spaces, slashes or `>`. */
const ID = '[A-Za-z0-9][A-Za-z0-9_-]*';
const SUBJECT = new RegExp(
  `^(?:(Organization)/(${ID})|(Person)/(${ID})|Person/(${ID})>Organization/(${ID}))$`,
);
/** OAuth credentials names are at most four characters. */
const CREDENTIALS_NAME = /^[A-Za-z0-9_-]{1,4}$/;

/** The same grammar as pattern strings, for documents that describe ids and scopes. */
export const PARTY_ID_PATTERN = `^${ID}$`;
export const SCOPE_PATTERN = SCOPE.source;

export interface ParsedSubject {
  readonly bearer: Party;
  /** The acting person of an on-behalf token. */
  readonly personId: string | null;
}

/** Parses `sub`; null when it is not one of the three forms. */
export function parseSubject(sub: string): ParsedSubject | null {
  const match = SUBJECT.exec(sub);
  if (!match) return null;
  if (match[1]) return { bearer: { type: 'Organization', id: match[2] }, personId: null };
  if (match[3]) return { bearer: { type: 'Person', id: match[4] }, personId: null };
  return { bearer: { type: 'Organization', id: match[6] }, personId: match[5] };
}

/** Parses one scope entry; null for anything that is not exactly `<app>.<name>.<r|w|rw>`. */
export function parseScope(entry: string): Scope | null {
  const match = SCOPE.exec(entry);
  if (!match) return null;
  return { app: match[1], name: match[2], permission: match[3] as Permission };
}

/** Parses one `aud` entry: `app` or `app/credentials_name`; null otherwise. */
export function parseAudience(entry: string): Audience | null {
  const slash = entry.indexOf('/');
  const app = slash === -1 ? entry : entry.slice(0, slash);
  const credentialsName = slash === -1 ? null : entry.slice(slash + 1);
  if (!APP_NAME.test(app)) return null;
  if (credentialsName !== null && !CREDENTIALS_NAME.test(credentialsName)) return null;
  return { app, credentialsName };
}

/**
 * Whether a token audience satisfies a configured one: `app` accepts `app` and `app/<any>`,
 * `app/cred` accepts only that exact pair. Both parts compare exactly.
 */
export function audienceAccepted(token: Audience, accepted: Audience): boolean {
  if (token.app !== accepted.app) return false;
  return accepted.credentialsName === null || accepted.credentialsName === token.credentialsName;
}
