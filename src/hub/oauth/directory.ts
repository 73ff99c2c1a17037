import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isRecord } from '../http-util';
import { writeFileAtomically } from '../state-file';
import { covers } from './requested-scope';

/**
 * The stand-in hub's own small directory: who exists, who belongs where with which roles, which
 * OAuth clients are registered and what each bearer granted to each client. The real hub keeps
 * all of this in its database; ours keeps it in DATA_DIR (development) or in memory (tests).
 */
export interface HubPerson {
  id: string;
  name: string;
}

export interface HubOrganization {
  id: string;
  name: string;
}

export interface HubMembership {
  personId: string;
  organizationId: string;
  /** Role ids from `GET /api/v1/roles`, e.g. ["owner", "admin"]. */
  roles: string[];
}

export interface OAuthClient {
  id: string;
  /** null for clients that are not confidential (they cannot keep a secret: PKCE instead). */
  secret: string | null;
  /** The app the client belongs to: the token's audience. */
  appName: string;
  /** At most 4 characters; the audience then reads `<app>/<name>`. */
  credentialsName: string | null;
  /** Exact-match list; the first is used when a request names none. */
  redirectUris: string[];
  /**
   * The scopes the app may ask for, each with the bearer kind it is for: `Org.warehouse.items.rw`
   * (organizations, on-behalf tokens included) or `Per.warehouse.settings.rw` (persons).
   */
  desiredScopes: string[];
}

/** A bearer's consent: `bearer` is `Organization/<id>` or `Person/<id>`; scopes unprefixed. */
export interface HubGrant {
  clientId: string;
  bearer: string;
  scopes: string[];
}

/** A refresh token, stored by its hash: what a new access token for it would carry. */
export interface StoredRefreshToken {
  hash: string;
  clientId: string;
  subject: TokenSubject;
  scopes: string[];
  expiresAt: number;
  /** The hash of the authorization code the chain of refreshes began with (absent in old files). */
  family?: string;
}

/** Who an access token is for: an organization, a person, or a person on behalf of an org. */
export type TokenSubject =
  | { kind: 'Organization'; organizationId: string }
  | { kind: 'Person'; personId: string }
  | { kind: 'OnBehalf'; personId: string; organizationId: string };

export interface DirectoryData {
  persons: HubPerson[];
  organizations: HubOrganization[];
  memberships: HubMembership[];
  clients: OAuthClient[];
  grants: HubGrant[];
  refreshTokens: StoredRefreshToken[];
}

export const CREDENTIALS_NAME = /^[A-Za-z0-9_-]{1,4}$/;
export const ADMIN_ROLES: readonly string[] = ['owner', 'admin'];

export function emptyDirectory(): DirectoryData {
  return {
    persons: [],
    organizations: [],
    memberships: [],
    clients: [],
    grants: [],
    refreshTokens: [],
  };
}

export function newClientSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function membershipOf(
  data: DirectoryData,
  personId: string,
  organizationId: string,
): HubMembership | undefined {
  return data.memberships.find(
    (m) => m.personId === personId && m.organizationId === organizationId,
  );
}

export function administers(data: DirectoryData, personId: string, orgId: string): boolean {
  return membershipOf(data, personId, orgId)?.roles.some((r) => ADMIN_ROLES.includes(r)) ?? false;
}

export function grantOf(
  data: DirectoryData,
  clientId: string,
  bearer: string,
): HubGrant | undefined {
  return data.grants.find((g) => g.clientId === clientId && g.bearer === bearer);
}

/** Who holds the grant behind a token: the person, or the organization (on behalf too). */
export function grantBearerOf(subject: TokenSubject): string {
  return subject.kind === 'Person'
    ? `Person/${subject.personId}`
    : `Organization/${subject.organizationId}`;
}

/** Whether the bearer's grant to the client still covers every one of `scopes`. */
export function grantCovers(
  data: DirectoryData,
  clientId: string,
  bearer: string,
  scopes: readonly string[],
): boolean {
  const held = grantOf(data, clientId, bearer)?.scopes ?? [];
  return scopes.every((scope) => held.some((entry) => covers(entry, scope)));
}

/** Adds scopes to a bearer's grant for a client (creating the grant). */
export function addGrant(data: DirectoryData, clientId: string, bearer: string, scopes: string[]) {
  const grant = grantOf(data, clientId, bearer);
  if (grant) grant.scopes = [...new Set([...grant.scopes, ...scopes])];
  else data.grants.push({ clientId, bearer, scopes: [...new Set(scopes)] });
}

/** Throws a sentence naming what is wrong; used for the file and for every change. */
export function checkDirectory(data: DirectoryData): void {
  const unique = (what: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw new Error(`duplicate ${what} "${id}"`);
      seen.add(id);
    }
  };
  unique(
    'person',
    data.persons.map((p) => p.id),
  );
  unique(
    'organization',
    data.organizations.map((o) => o.id),
  );
  unique(
    'client',
    data.clients.map((c) => c.id),
  );
  for (const m of data.memberships) {
    if (!data.persons.some((p) => p.id === m.personId)) {
      throw new Error(`membership names unknown person "${m.personId}"`);
    }
    if (!data.organizations.some((o) => o.id === m.organizationId)) {
      throw new Error(`membership names unknown organization "${m.organizationId}"`);
    }
  }
  for (const c of data.clients) {
    for (const uri of c.redirectUris) {
      if (!URL.canParse(uri) || uri.includes('#')) {
        throw new Error(
          `client "${c.id}": redirect URI "${uri}" must be an absolute URL without #`,
        );
      }
    }
    if (c.credentialsName !== null && !CREDENTIALS_NAME.test(c.credentialsName)) {
      throw new Error(`client "${c.id}": credentials name must be 1-4 letters, digits, _ or -`);
    }
  }
}

/** Where the directory lives and how it changes; every change is checked and then saved. */
export interface DirectoryStore {
  read(): Promise<DirectoryData>;
  /** Applies `change` to the current data and keeps the result, one change after another. */
  update<T>(change: (data: DirectoryData) => T): Promise<T>;
}

export class MemoryDirectoryStore implements DirectoryStore {
  private data: DirectoryData;
  constructor(initial: DirectoryData = emptyDirectory()) {
    this.data = structuredClone(initial);
  }
  read(): Promise<DirectoryData> {
    return Promise.resolve(structuredClone(this.data));
  }
  update<T>(change: (data: DirectoryData) => T): Promise<T> {
    const next = structuredClone(this.data);
    const result = change(next);
    checkDirectory(next);
    this.data = next;
    return Promise.resolve(result);
  }
}

/**
 * The development directory, a JSON file read afresh on every use: the token CLI adds persons and
 * clients to it while the server runs. It holds client secrets: mode 0600, never echoed.
 */
export class FileDirectoryStore implements DirectoryStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  async read(): Promise<DirectoryData> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyDirectory();
      throw error;
    }
    return parseDirectory(text, this.file);
  }

  update<T>(change: (data: DirectoryData) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const data = await this.read();
      const result = change(data);
      checkDirectory(data);
      await writeFileAtomically(this.file, `${JSON.stringify({ version: 1, ...data }, null, 2)}\n`);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

const LISTS = [
  'persons',
  'organizations',
  'memberships',
  'clients',
  'grants',
  'refreshTokens',
] as const;

function parseDirectory(text: string, file: string): DirectoryData {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Stand-in hub directory ${file} is not JSON; delete it to start afresh`);
  }
  if (!isRecord(body) || body.version !== 1 || !LISTS.every((k) => Array.isArray(body[k]))) {
    throw new Error(
      `Stand-in hub directory ${file} has an unknown shape; delete it to start afresh`,
    );
  }
  const data = Object.fromEntries(LISTS.map((k) => [k, body[k]])) as unknown as DirectoryData;
  try {
    checkDirectory(data);
  } catch (error) {
    throw new Error(`Stand-in hub directory ${file}: ${(error as Error).message}`);
  }
  return data;
}
