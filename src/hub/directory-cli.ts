/**
 * `npm run -s token -- add <what> …`: adds persons, organizations, memberships, OAuth clients and
 * grants to the development hub's directory ($DATA_DIR/standin-directory.json), the file the
 * embedded hub reads afresh on every request, so a running `npm start` sees them at once.
 */
import { parseArgs } from 'node:util';
import { SCOPE_PATTERN } from '../zaikio/token/grammar';
import { HubRole } from './claims';
import {
  addGrant,
  CREDENTIALS_NAME,
  DirectoryData,
  grantOf,
  HubGrant,
  HubMembership,
  membershipOf,
  newClientSecret,
  OAuthClient,
} from './oauth/directory';

export const DIRECTORY_USAGE = `Usage: npm run -s token -- add <what> [options]

Adds to the development hub's directory ($DATA_DIR/standin-directory.json) and prints what was
added as JSON (a client's secret only this once).

  add person <id> [--name <name>]
  add organization <id> [--name <name>]
  add membership --person <id> --org <id> --roles <ids>     e.g. --roles owner,admin
  add client <id> [--public | --secret <secret>] [--redirect-uri <url>]...
                  [--credentials-name <name>] [--scope <desired scopes>] [--app <name>]
      --public        not confidential (no secret; PKCE in the redirect flow)
      --scope         Comma list with the bearer kind: Org.<app>.items.rw,Per.<app>.settings.r
                      (default: every scope of the app, for both kinds)
      --credentials-name  at most 4 characters; tokens then carry aud <app>/<name>
  add grant --client <id> (--org <id> | --person <id>) --scope <scopes>
      What the organization or person granted the client (plain scopes: <app>.items.rw),
      needed before the client credentials flow gives a token for that bearer.

Ids are lower-case letters, digits and -, as scope requests (Org/<id>.…) spell them.
`;

/** What the new entries default to: the server's audience, its scopes and the hub's roles. */
export interface DirectoryDefaults {
  /** `<app>` or `<app>/<credentials name>`, as development tokens carry it. */
  readonly audience: string;
  readonly scopes: readonly string[];
  readonly roles: readonly HubRole[];
}

export type DirectoryAddition =
  | { readonly kind: 'person'; readonly value: { id: string; name: string } }
  | { readonly kind: 'organization'; readonly value: { id: string; name: string } }
  | { readonly kind: 'membership'; readonly value: HubMembership }
  | { readonly kind: 'client'; readonly value: OAuthClient }
  | { readonly kind: 'grant'; readonly value: HubGrant };

/** A command line that cannot be right whatever the directory holds. */
export class DirectoryUsageError extends Error {}
/** A well-formed addition the directory refuses (a duplicate, an unknown reference). */
export class DirectoryRefusal extends Error {}

const ID = /^[a-z0-9-]+$/;
const PLAIN_SCOPE = new RegExp(SCOPE_PATTERN);
const DESIRED_SCOPE = new RegExp(`^(Org|Per)\\.${SCOPE_PATTERN.slice(1)}`);

const OPTIONS = {
  name: { type: 'string' },
  person: { type: 'string' },
  org: { type: 'string' },
  roles: { type: 'string' },
  client: { type: 'string' },
  public: { type: 'boolean' },
  secret: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  'credentials-name': { type: 'string' },
  scope: { type: 'string' },
  app: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function list(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function id(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '')
    throw new DirectoryUsageError(`${what} is missing`);
  if (!ID.test(value)) {
    throw new DirectoryUsageError(
      `${what} "${value}" must be lower-case letters, digits and - (it appears in scope requests)`,
    );
  }
  return value;
}

/** Only the options the subcommand knows: a stray one is a mistake, not something to ignore. */
function only(values: Values, allowed: readonly (keyof typeof OPTIONS)[], what: string): void {
  const stray = Object.keys(values).filter((k) => !allowed.includes(k as keyof typeof OPTIONS));
  if (stray.length > 0) {
    throw new DirectoryUsageError(`add ${what} does not take --${stray.join(', --')}`);
  }
}

function scopes(value: string | undefined, pattern: RegExp, example: string): string[] {
  const entries = list(value ?? '');
  if (entries.length === 0) throw new DirectoryUsageError('--scope needs at least one scope');
  const wrong = entries.find((entry) => !pattern.test(entry));
  if (wrong !== undefined) {
    throw new DirectoryUsageError(`scope "${wrong}" is malformed; write it like ${example}`);
  }
  return [...new Set(entries)];
}

/** Pure: `add …` argv (after `add`) to the entry it adds; throws DirectoryUsageError. */
export function parseDirectoryArgs(
  argv: readonly string[],
  defaults: DirectoryDefaults,
): DirectoryAddition {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new DirectoryUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [what, name, ...extra] = positionals;
  if (extra.length > 0) throw new DirectoryUsageError(`unexpected "${extra.join(' ')}"`);
  const takesId = what === 'person' || what === 'organization' || what === 'client';
  const known = takesId || what === 'membership' || what === 'grant';
  if (known && !takesId && name !== undefined) {
    throw new DirectoryUsageError(`unexpected "${name}"`);
  }
  switch (what) {
    case 'person':
    case 'organization': {
      only(values, ['name'], what);
      const entry = { id: id(name, `the ${what} id`), name: values.name?.trim() || name };
      return what === 'person'
        ? { kind: 'person', value: entry }
        : { kind: 'organization', value: entry };
    }
    case 'membership':
      return { kind: 'membership', value: membership(values, defaults) };
    case 'client':
      return { kind: 'client', value: client(id(name, 'the client id'), values, defaults) };
    case 'grant':
      return { kind: 'grant', value: grant(values) };
    case undefined:
      throw new DirectoryUsageError('add what? person, organization, membership, client or grant');
    default:
      throw new DirectoryUsageError(
        `cannot add "${what}": person, organization, membership, client or grant`,
      );
  }
}

function membership(values: Values, defaults: DirectoryDefaults): HubMembership {
  only(values, ['person', 'org', 'roles'], 'membership');
  const roles = list(values.roles ?? '');
  if (roles.length === 0) throw new DirectoryUsageError('--roles needs at least one role id');
  const known = defaults.roles.map((role) => role.id);
  const unknown = roles.find((role) => !known.includes(role));
  if (unknown !== undefined) {
    throw new DirectoryUsageError(`unknown role "${unknown}"; roles are ${known.join(', ')}`);
  }
  return {
    personId: id(values.person, '--person'),
    organizationId: id(values.org, '--org'),
    roles: [...new Set(roles)],
  };
}

function client(clientId: string, values: Values, defaults: DirectoryDefaults): OAuthClient {
  only(values, ['public', 'secret', 'redirect-uri', 'credentials-name', 'scope', 'app'], 'client');
  if (values.public && values.secret !== undefined) {
    throw new DirectoryUsageError('a --public client has no --secret');
  }
  if (values.secret !== undefined && values.secret.length < 16) {
    throw new DirectoryUsageError('--secret must be at least 16 characters');
  }
  const redirectUris = values['redirect-uri'] ?? [];
  for (const uri of redirectUris) {
    if (!URL.canParse(uri) || uri.includes('#')) {
      throw new DirectoryUsageError(`redirect URI "${uri}" must be an absolute URL without #`);
    }
  }
  if (values.public && redirectUris.length === 0) {
    throw new DirectoryUsageError('a --public client signs in by redirect: give --redirect-uri');
  }
  // As the seeded clients: tokens carry the audience the server accepts unless told otherwise.
  const [defaultApp, defaultCredentials] = defaults.audience.split('/');
  const credentialsName =
    values['credentials-name'] ?? (values.app === undefined ? (defaultCredentials ?? null) : null);
  if (credentialsName !== null && !CREDENTIALS_NAME.test(credentialsName)) {
    throw new DirectoryUsageError('--credentials-name must be 1-4 letters, digits, _ or -');
  }
  const appName = values.app ?? defaultApp;
  const desiredScopes =
    values.scope === undefined
      ? defaults.scopes.flatMap((scope) => [`Org.${scope}`, `Per.${scope}`])
      : scopes(values.scope, DESIRED_SCOPE, `Org.${appName}.items.rw or Per.${appName}.settings.r`);
  return {
    id: clientId,
    secret: values.public ? null : (values.secret ?? newClientSecret()),
    appName,
    credentialsName,
    redirectUris: [...new Set(redirectUris)],
    desiredScopes,
  };
}

function grant(values: Values): HubGrant {
  only(values, ['client', 'org', 'person', 'scope'], 'grant');
  if ((values.org === undefined) === (values.person === undefined)) {
    throw new DirectoryUsageError('name the bearer who grants: --org <id> or --person <id>');
  }
  const bearer =
    values.org !== undefined
      ? `Organization/${id(values.org, '--org')}`
      : `Person/${id(values.person, '--person')}`;
  return {
    clientId: id(values.client, '--client'),
    bearer,
    scopes: scopes(values.scope, PLAIN_SCOPE, 'warehouse.items.rw'),
  };
}

/** Adds the entry to `data`, refusing duplicates and references to what does not exist. */
export function applyAddition(data: DirectoryData, addition: DirectoryAddition): void {
  const refuse = (message: string): never => {
    throw new DirectoryRefusal(message);
  };
  const person = (personId: string) =>
    data.persons.some((p) => p.id === personId) || refuse(`there is no person "${personId}"`);
  const organization = (orgId: string) =>
    data.organizations.some((o) => o.id === orgId) || refuse(`there is no organization "${orgId}"`);
  switch (addition.kind) {
    case 'person': {
      const { value } = addition;
      if (data.persons.some((p) => p.id === value.id)) refuse(`person "${value.id}" exists`);
      data.persons.push(value);
      return;
    }
    case 'organization': {
      const { value } = addition;
      if (data.organizations.some((o) => o.id === value.id)) {
        refuse(`organization "${value.id}" exists`);
      }
      data.organizations.push(value);
      return;
    }
    case 'membership': {
      const { personId, organizationId } = addition.value;
      person(personId);
      organization(organizationId);
      if (membershipOf(data, personId, organizationId)) {
        refuse(`"${personId}" is already a member of "${organizationId}"`);
      }
      data.memberships.push(addition.value);
      return;
    }
    case 'client': {
      const { value } = addition;
      if (data.clients.some((c) => c.id === value.id)) refuse(`client "${value.id}" exists`);
      data.clients.push(value);
      return;
    }
    case 'grant': {
      const { clientId, bearer, scopes: granted } = addition.value;
      if (!data.clients.some((c) => c.id === clientId)) refuse(`there is no client "${clientId}"`);
      const [kind, bearerId] = bearer.split('/');
      if (kind === 'Person') person(bearerId);
      else organization(bearerId);
      addGrant(data, clientId, bearer, granted);
      return;
    }
  }
}

/** What to print: the entry as stored (a grant with all it now holds). */
export function printable(data: DirectoryData, addition: DirectoryAddition): unknown {
  if (addition.kind !== 'grant') return { [addition.kind]: addition.value };
  const { clientId, bearer } = addition.value;
  return { grant: grantOf(data, clientId, bearer) };
}
