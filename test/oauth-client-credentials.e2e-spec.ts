// The client credentials flow as a Zaikio app runs it: an unmodified OAuth client library
// (openid-client) asks the stand-in hub for a token, and the app accepts it.
import { useHubAndApp } from './support/app';
import { anItem } from './support/items';
import {
  ACME,
  ADMIN,
  claimsOf,
  CONFIDENTIAL,
  confidentialClient,
  hubIssuer,
  MEMBER,
  OTHER_ORG,
  OUTSIDER,
  OWNER,
  PUBLIC_CLIENT,
  refusal,
  seedOAuthDirectory,
} from './support/oauth';

describe('client credentials flow (openid-client against the stand-in hub)', () => {
  const env = useHubAndApp();

  beforeAll(async () => {
    await seedOAuthDirectory(env.hub);
  });

  const grant = (scope: string, secret?: string) =>
    confidentialClient(env.hub, secret).grant({ grant_type: 'client_credentials', scope });

  it('gives an organization token in Zaikio’s response shape, without refresh token', async () => {
    const tokens = await grant(`Org/${ACME}.warehouse.items.rw`);
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'warehouse.items.rw',
      audiences: ['warehouse'],
      bearer: { id: ACME, type: 'Organization' },
    });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.bearer_on_behalf_of).toBeUndefined();
    const claims = claimsOf(tokens.access_token!);
    expect(claims).toMatchObject({
      iss: 'ZAI',
      sub: `Organization/${ACME}`,
      aud: ['warehouse'],
      scope: ['warehouse.items.rw'],
    });
    expect(Number(claims.exp) - Number(claims.nbf)).toBeGreaterThanOrEqual(3600);
    expect(typeof claims.jti).toBe('string');

    const created = await env.server.send(
      'POST',
      '/api/v1/items',
      anItem({ name: 'Bolt' }),
      tokens.access_token,
    );
    expect(created.status).toBe(201);
    const listed = await env.server.get('/api/v1/items', tokens.access_token);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { name: string }[]).map((item) => item.name)).toContain(
      'Bolt',
    );
  });

  it('leaves out, silently, a scope desired only for the other bearer kind', async () => {
    const tokens = await grant(`Org/${ACME}.warehouse.items.r,Org/${ACME}.warehouse.settings.r`);
    expect(tokens.scope).toBe('warehouse.items.r');
    expect(claimsOf(tokens.access_token!).scope).toEqual(['warehouse.items.r']);
  });

  it('gives on-behalf tokens whose roles follow GET /api/v1/roles', async () => {
    const tokens = await grant(`Per/${OWNER}>Org/${ACME}.warehouse.items.rw`);
    expect(tokens.bearer).toEqual({ id: ACME, type: 'Organization' });
    expect(tokens.bearer_on_behalf_of).toEqual({
      id: OWNER,
      type: 'Person',
      roles: ['owner', 'admin'],
    });
    const claims = claimsOf(tokens.access_token!);
    expect(claims.sub).toBe(`Person/${OWNER}>Organization/${ACME}`);
    const roles = (await (await fetch(`${env.hub.url}/api/v1/roles`)).json()) as { id: string }[];
    expect(claims.roles).toBe(
      2 ** roles.findIndex((r) => r.id === 'owner') + 2 ** roles.findIndex((r) => r.id === 'admin'),
    );
  });

  it('lets an on-behalf admin delete an item, and refuses a member', async () => {
    const org = await grant(`Org/${ACME}.warehouse.items.rw`);
    const created = await env.server.send('POST', '/api/v1/items', anItem(), org.access_token);
    const { id } = (await created.json()) as { id: string };

    const member = await grant(`Per/${MEMBER}>Org/${ACME}.warehouse.items.rw`);
    expect(member.bearer_on_behalf_of).toMatchObject({ roles: ['member'] });
    const refused = await env.server.send(
      'DELETE',
      `/api/v1/items/${id}`,
      undefined,
      member.access_token,
    );
    expect(refused.status).toBe(403);

    const admin = await grant(`Per/${ADMIN}>Org/${ACME}.warehouse.items.rw`);
    const deleted = await env.server.send(
      'DELETE',
      `/api/v1/items/${id}`,
      undefined,
      admin.access_token,
    );
    expect(deleted.status).toBe(204);
  });

  describe('refusals', () => {
    it.each([
      ['a malformed scope', `Org/${ACME}.warehouse.Items.rw`, 'malformed_scope'],
      ['an empty scope', '', 'malformed_scope'],
      [
        'two bearer kinds',
        `Org/${ACME}.warehouse.items.r,Per/${ADMIN}.warehouse.settings.r`,
        'different_bearer_types',
      ],
      [
        'two organizations',
        `Org/${ACME}.warehouse.items.r,Org/${OTHER_ORG}.warehouse.items.r`,
        'different_bearer_ids',
      ],
      ['no bearer id', 'Org.warehouse.items.r', 'bearer_does_not_exist'],
      ['an unknown organization', 'Org/nowhere.warehouse.items.r', 'bearer_does_not_exist'],
      [
        'a person outside the organization',
        `Per/${OUTSIDER}>Org/${ACME}.warehouse.items.r`,
        'bearer_does_not_exist',
      ],
      [
        'a person who never authorized the client',
        `Per/${ADMIN}.warehouse.settings.r`,
        'bearer_does_not_exist',
      ],
      [
        'a scope the client does not desire',
        `Org/${ACME}.warehouse.sites.r`,
        'scope_is_not_included_in_desired_scopes',
      ],
      ['a scope never granted', `Org/${OTHER_ORG}.warehouse.items.rw`, 'ungranted_scope'],
    ])('refuses %s with invalid_scope (%s)', async (_what, scope, id) => {
      expect(await refusal(grant(scope))).toEqual({ error: 'invalid_scope', description: id });
    });

    it('refuses a wrong secret and an unknown client with invalid_client', async () => {
      expect((await refusal(grant(`Org/${ACME}.warehouse.items.r`, 'wrong'))).error).toBe(
        'invalid_client',
      );
      const issuer = hubIssuer(env.hub);
      const stranger = new issuer.Client({
        client_id: 'stranger',
        client_secret: CONFIDENTIAL.secret,
      });
      const call = stranger.grant({
        grant_type: 'client_credentials',
        scope: `Org/${ACME}.warehouse.items.r`,
      });
      expect((await refusal(call)).error).toBe('invalid_client');
    });

    it('refuses a client that is not confidential with unauthorized_client', async () => {
      const issuer = hubIssuer(env.hub);
      const spa = new issuer.Client({
        client_id: PUBLIC_CLIENT,
        token_endpoint_auth_method: 'none',
      });
      const call = spa.grant({
        grant_type: 'client_credentials',
        scope: `Org/${ACME}.warehouse.items.r`,
      });
      expect((await refusal(call)).error).toBe('unauthorized_client');
    });

    it('answers an unknown grant type with unsupported_grant_type, in RFC 6749’s shape', async () => {
      const response = await fetch(`${env.hub.url}/oauth/access_token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${CONFIDENTIAL.id}:${CONFIDENTIAL.secret}`).toString('base64')}`,
        },
        body: 'grant_type=password&username=a&password=b',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.error).toBe('unsupported_grant_type');
      expect(JSON.stringify(body)).not.toContain(CONFIDENTIAL.secret);
    });
  });
});
