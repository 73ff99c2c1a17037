/*
 * Swagger UI's sign-in at the development and test hub. The stand-in hub seeds its client from
 * these values, so the client Swagger UI names and the redirect URIs it registers cannot drift.
 */

/** The hub's public (PKCE) OAuth client that Swagger UI signs in with. */
export const SWAGGER_CLIENT_ID = 'swagger-ui';

/** swagger-ui-dist's redirect page, served with the rest of Swagger UI under /docs. */
export const OAUTH_REDIRECT_PATH = '/docs/oauth2-redirect.html';

/** Swagger UI's remote configuration: the redirect URL depends on the host the browser used. */
export const SWAGGER_CONFIG_PATH = '/docs/swagger-config.json';

/** The redirect URIs to register for a server on `port`, for either host form a browser uses. */
export function swaggerRedirectUris(port: number): string[] {
  return ['localhost', '127.0.0.1'].map((host) => `http://${host}:${port}${OAUTH_REDIRECT_PATH}`);
}
