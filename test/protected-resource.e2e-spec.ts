// RFC 9728 with a plain HTTP client: a 401 names the metadata URL, the metadata names the hub.
import { useHubAndApp } from './support/app';
import { tokens } from './support/tokens';

interface Metadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: string[];
  resource_documentation: string;
}

/** The `resource_metadata` parameter of a Bearer challenge. */
function resourceMetadataOf(challenge: string | null): string | undefined {
  return /resource_metadata="([^"]*)"/.exec(challenge ?? '')?.[1];
}

describe('protected resource metadata (RFC 9728)', () => {
  const env = useHubAndApp();

  it('names the resource, the configured hub, the requestable scopes and the header method', async () => {
    const response = await fetch(`${env.server.url}/.well-known/oauth-protected-resource`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const metadata = (await response.json()) as Metadata;
    expect(metadata).toEqual({
      resource: env.server.url,
      authorization_servers: [env.hub.url],
      scopes_supported: [
        'Org.warehouse.items.r',
        'Org.warehouse.items.rw',
        'Org.warehouse.items.w',
        'Per.warehouse.settings.r',
        'Per.warehouse.settings.rw',
        'Per.warehouse.settings.w',
      ],
      bearer_methods_supported: ['header'],
      resource_documentation: `${env.server.url}/docs`,
    });
    expect((await fetch(metadata.resource_documentation)).status).toBe(200);
  });

  it.each([
    ['no token', () => undefined],
    ['a bad token', () => 'not-a-jwt'],
    ['an expired token', () => tokens(env.hub).organization('o1').expiresIn(-3600).mint()],
  ])('points every 401 (%s) at the metadata, which leads to the hub', async (_what, token) => {
    const refused = await env.server.get('/api/v1/items', token());
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get('www-authenticate');
    expect(challenge).toMatch(/^Bearer realm="warehouse"/);
    const url = resourceMetadataOf(challenge);
    expect(url).toBe(`${env.server.url}/.well-known/oauth-protected-resource`);

    const metadata = (await (await fetch(url!)).json()) as Metadata;
    const [hub] = metadata.authorization_servers;
    // The hub answers its authorization endpoint (here: a request naming no client).
    const authorize = await fetch(`${hub}/oauth/authorize`, { redirect: 'manual' });
    expect(authorize.status).toBe(400);
    expect(await authorize.text()).toContain('client_id');
  });
});
