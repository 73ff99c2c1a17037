import { join } from 'node:path';
import { SWAGGER_CLIENT_ID } from '../../docs/swagger-sign-in';
import { addGrant, DirectoryData, DirectoryStore, newClientSecret, OAuthClient } from './directory';

/** What `npm start` puts into a fresh development directory; the README lists it. */
export const DEVELOPMENT_ORGANIZATION = { id: 'dev-org', name: 'Development Org' };
export const DEVELOPMENT_ADMIN = { id: 'dev-admin', name: 'Dana Admin' };
/** Not confidential: Swagger UI runs in the browser and signs in with PKCE. */
export { SWAGGER_CLIENT_ID };
/** Confidential, authorized by the organization: for the client credentials flow with curl. */
export const DEVELOPMENT_APP_CLIENT_ID = 'dev-app';

export function defaultDirectoryPath(dataDir: string): string {
  return join(dataDir, 'standin-directory.json');
}

export interface SeedOptions {
  /** The audience tokens must carry: `<app>` or `<app>/<credentials name>`. */
  readonly audience: string;
  /** Unprefixed scopes of the app (`warehouse.items.rw`, …), desired for either bearer kind. */
  readonly scopes: readonly string[];
  /** Where Swagger UI's OAuth redirect page is reachable, e.g. on localhost and 127.0.0.1. */
  readonly swaggerRedirectUris: readonly string[];
}

function clientFor(id: string, audience: string, scopes: readonly string[]): OAuthClient {
  const [appName, credentialsName] = audience.split('/');
  return {
    id,
    secret: null,
    appName,
    credentialsName: credentialsName ?? null,
    redirectUris: [],
    desiredScopes: scopes.flatMap((scope) => [`Org.${scope}`, `Per.${scope}`]),
  };
}

/**
 * Seeds a fresh directory with one organization, its admin and two clients, and keeps the Swagger
 * client's redirect URIs in step with the server's port. An existing directory keeps its data.
 */
export async function seedDevelopmentDirectory(
  store: DirectoryStore,
  options: SeedOptions,
): Promise<void> {
  await store.update((data: DirectoryData) => {
    if (!data.organizations.some((o) => o.id === DEVELOPMENT_ORGANIZATION.id)) {
      data.organizations.push({ ...DEVELOPMENT_ORGANIZATION });
    }
    if (!data.persons.some((p) => p.id === DEVELOPMENT_ADMIN.id)) {
      data.persons.push({ ...DEVELOPMENT_ADMIN });
      data.memberships.push({
        personId: DEVELOPMENT_ADMIN.id,
        organizationId: DEVELOPMENT_ORGANIZATION.id,
        roles: ['admin'],
      });
    }
    let swagger = data.clients.find((c) => c.id === SWAGGER_CLIENT_ID);
    if (swagger === undefined) {
      swagger = clientFor(SWAGGER_CLIENT_ID, options.audience, options.scopes);
      data.clients.push(swagger);
    }
    swagger.redirectUris = [...new Set([...swagger.redirectUris, ...options.swaggerRedirectUris])];
    if (!data.clients.some((c) => c.id === DEVELOPMENT_APP_CLIENT_ID)) {
      const app = clientFor(DEVELOPMENT_APP_CLIENT_ID, options.audience, options.scopes);
      app.secret = newClientSecret();
      data.clients.push(app);
      addGrant(data, app.id, `Organization/${DEVELOPMENT_ORGANIZATION.id}`, [...options.scopes]);
    }
  });
}
