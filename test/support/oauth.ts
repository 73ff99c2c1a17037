import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { BaseClient, Issuer } from 'openid-client';
import { StandInHub } from '../../src/hub';
import { addGrant, OAuthClient } from '../../src/hub/oauth/directory';

/**
 * A small directory for the OAuth e2e specs: the organization `acme` with an owner-and-admin, an
 * admin and a member, a second organization, and two clients of the app `warehouse`.
 */
export const ACME = 'acme';
export const OTHER_ORG = 'globex';
export const OWNER = 'olga';
export const ADMIN = 'adam';
export const MEMBER = 'mia';
export const OUTSIDER = 'otto';
export const CONFIDENTIAL = { id: 'erp', secret: 'erp-secret-for-tests' };
export const PUBLIC_CLIENT = 'spa';
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

export function anOAuthClient(overrides: Partial<OAuthClient> = {}): OAuthClient {
  return {
    id: CONFIDENTIAL.id,
    secret: CONFIDENTIAL.secret,
    appName: 'warehouse',
    credentialsName: null,
    redirectUris: [REDIRECT_URI],
    desiredScopes: ['Org.warehouse.items.rw', 'Per.warehouse.settings.rw'],
    ...overrides,
  };
}

export async function seedOAuthDirectory(hub: StandInHub): Promise<void> {
  await hub.directory.update((data) => {
    data.organizations.push({ id: ACME, name: 'Acme' }, { id: OTHER_ORG, name: 'Globex' });
    for (const id of [OWNER, ADMIN, MEMBER, OUTSIDER]) data.persons.push({ id, name: id });
    data.memberships.push(
      // Listed against the hub's order on purpose: tokens must follow GET /api/v1/roles.
      { personId: OWNER, organizationId: ACME, roles: ['admin', 'owner'] },
      { personId: ADMIN, organizationId: ACME, roles: ['admin'] },
      { personId: MEMBER, organizationId: ACME, roles: ['member'] },
      { personId: OUTSIDER, organizationId: OTHER_ORG, roles: ['member'] },
    );
    data.clients.push(
      anOAuthClient(),
      anOAuthClient({ id: PUBLIC_CLIENT, secret: null, credentialsName: 'web' }),
    );
    addGrant(data, CONFIDENTIAL.id, `Organization/${ACME}`, ['warehouse.items.rw']);
    addGrant(data, CONFIDENTIAL.id, `Organization/${OTHER_ORG}`, ['warehouse.items.r']);
  });
}

/** The hub as an unmodified OAuth client library sees it: explicit endpoints, no discovery. */
export function hubIssuer(hub: StandInHub): Issuer<BaseClient> {
  return new Issuer({
    issuer: hub.url,
    authorization_endpoint: `${hub.url}/oauth/authorize`,
    token_endpoint: `${hub.url}/oauth/access_token`,
  });
}

export function confidentialClient(
  hub: StandInHub,
  secret = CONFIDENTIAL.secret,
  redirectUri = REDIRECT_URI,
): BaseClient {
  const issuer = hubIssuer(hub);
  return new issuer.Client({
    client_id: CONFIDENTIAL.id,
    client_secret: secret,
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: [redirectUri],
    response_types: ['code'],
  });
}

export function publicClient(
  hub: StandInHub,
  id = PUBLIC_CLIENT,
  redirectUri = REDIRECT_URI,
): BaseClient {
  const issuer = hubIssuer(hub);
  return new issuer.Client({
    client_id: id,
    token_endpoint_auth_method: 'none',
    redirect_uris: [redirectUri],
    response_types: ['code'],
  });
}

/** A client app's redirect endpoint: a loopback server recording every URL a browser brought. */
export interface CallbackServer {
  /** `http://127.0.0.1:<port>/callback` */
  readonly uri: string;
  readonly arrivals: string[];
  stop(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const arrivals: string[] = [];
  const server = createServer((req, res) => {
    if (req.url !== '/favicon.ico') arrivals.push(`${uri.origin}${req.url ?? ''}`);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('back at the app');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const uri = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`);
  return {
    uri: uri.href,
    arrivals,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Registers `uri` as a further redirect URI of every client in the hub's directory. */
export async function registerRedirectUri(hub: StandInHub, uri: string): Promise<void> {
  await hub.directory.update((data) => {
    for (const client of data.clients) client.redirectUris.push(uri);
  });
}

/** The payload of a JWT, for asserting what the hub put in; the app verifies it for real. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** The OAuth error (`error`, `error_description`) a library call was refused with. */
export async function refusal(
  call: Promise<unknown>,
): Promise<{ error: string; description: string }> {
  try {
    await call;
  } catch (error) {
    const { error: code, error_description: description } = error as {
      error?: string;
      error_description?: string;
    };
    return { error: String(code), description: String(description) };
  }
  throw new Error('expected the hub to refuse');
}
