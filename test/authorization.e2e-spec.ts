// Threat: valid tokens doing more than they may; covers scope, bearer type and role rules (403 rows).
import { errorCode, useHubAndApp } from './support/app';
import { anItem } from './support/items';
import { tokens } from './support/tokens';

describe('authorization (e2e)', () => {
  const ctx = useHubAndApp();

  const org = (...scopes: string[]) =>
    tokens(ctx.hub)
      .organization('org-authz')
      .scopes(...scopes);

  async function createItem(): Promise<string> {
    const response = await ctx.server.send(
      'POST',
      '/api/v1/items',
      anItem(),
      org('warehouse.items.rw').mint(),
    );
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  it('answers 403 unpermitted_scope with the scopes that would do', async () => {
    const response = await ctx.server.send(
      'POST',
      '/api/v1/items',
      anItem(),
      org('warehouse.items.r').mint(),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="warehouse", error="insufficient_scope", error_description="This endpoint ' +
        'requires one of the following scopes: warehouse.items.w, warehouse.items.rw but your access ' +
        'token only includes the following scopes: warehouse.items.r - For more information check our ' +
        'docs: https://docs.zaikio.com/guide/oauth/scopes.html", scope="warehouse.items.w warehouse.items.rw"',
    );
    const body = (await response.json()) as { errors: string[] };
    expect(body.errors[0]).toBe('unpermitted_scope');
    expect(body.errors[1]).toContain('warehouse.items.w, warehouse.items.rw');
  });

  it.each([
    ['GET', 'warehouse.items.r', 200],
    ['GET', 'warehouse.items.w', 403],
    ['GET', 'warehouse.items.rw', 200],
    ['POST', 'warehouse.items.w', 201],
    ['POST', 'warehouse.items.r', 403],
    ['GET', 'warehouse.settings.rw', 403],
    ['GET', 'other_app.items.rw', 403],
  ])('%s /api/v1/items with %s answers %i', async (method, scope, status) => {
    const token = org(scope).mint();
    const response =
      method === 'GET'
        ? await ctx.server.get('/api/v1/items', token)
        : await ctx.server.send(method, '/api/v1/items', anItem(), token);
    expect(response.status).toBe(status);
  });

  it('applies the write rule to PATCH and DELETE', async () => {
    const id = await createItem();
    const readOnly = org('warehouse.items.r').mint();
    expect(
      (await ctx.server.send('PATCH', `/api/v1/items/${id}`, { quantity: 1 }, readOnly)).status,
    ).toBe(403);
    expect(
      (await ctx.server.send('DELETE', `/api/v1/items/${id}`, undefined, readOnly)).status,
    ).toBe(403);
  });

  it('answers 403 unpermitted_subject to a Person token on an Organization route', async () => {
    const token = tokens(ctx.hub).person('p-1').scopes('warehouse.items.rw').mint();
    const response = await ctx.server.get('/api/v1/items', token);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(await errorCode(response)).toBe('unpermitted_subject');
  });

  it('answers 403 unpermitted_subject to an Organization token on a Person route', async () => {
    const response = await ctx.server.get(
      '/api/v1/person/settings',
      org('warehouse.settings.rw').mint(),
    );
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('unpermitted_subject');
  });

  it('lets an on-behalf token pass both Organization and Person rules', async () => {
    const token = tokens(ctx.hub)
      .onBehalf('p-both', 'org-authz')
      .scopes('warehouse.items.rw', 'warehouse.settings.rw')
      .mint();
    expect((await ctx.server.get('/api/v1/items', token)).status).toBe(200);
    expect((await ctx.server.get('/api/v1/person/settings', token)).status).toBe(200);
  });

  describe('DELETE demands owner or admin of the acting person', () => {
    const onBehalf = (...roles: string[]) =>
      tokens(ctx.hub)
        .onBehalf('p-roles', 'org-authz')
        .scopes('warehouse.items.rw')
        .roles(...roles)
        .mint();

    it.each([['owner'], ['admin']])('lets an on-behalf %s delete', async (role) => {
      const id = await createItem();
      expect(
        (await ctx.server.send('DELETE', `/api/v1/items/${id}`, undefined, onBehalf(role))).status,
      ).toBe(204);
    });

    it('answers 403 unpermitted_role to an on-behalf member', async () => {
      const id = await createItem();
      const response = await ctx.server.send(
        'DELETE',
        `/api/v1/items/${id}`,
        undefined,
        onBehalf('member'),
      );
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe('unpermitted_role');
      expect(
        (await ctx.server.get(`/api/v1/items/${id}`, org('warehouse.items.r').mint())).status,
      ).toBe(200);
    });

    it('lets an organization token without a person delete', async () => {
      const id = await createItem();
      expect(
        (
          await ctx.server.send(
            'DELETE',
            `/api/v1/items/${id}`,
            undefined,
            org('warehouse.items.w').mint(),
          )
        ).status,
      ).toBe(204);
    });
  });
});
