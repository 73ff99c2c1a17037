// Threat and use: private access tokens as the real hub issues them (aud = the bearer itself),
// accepted or refused as ZAIKIO_PERSONAL_TOKENS says, and look-alike audiences that grant nothing.
import { errorCode, TestApp, useHubAndApp } from './support/app';
import { anItem } from './support/items';
import { tokens } from './support/tokens';

const ALL_SCOPES = ['warehouse.items.rw', 'warehouse.settings.rw'];
const SETTINGS = { unit_system: 'metric', locale: 'de-DE' };

interface Call {
  readonly name: string;
  send(server: TestApp, token: string, itemId: string): Promise<Response>;
}

/** Every authenticated route of the app, with a body it would accept. */
const ITEM_ROUTES: readonly Call[] = [
  { name: 'GET /api/v1/items', send: (s, t) => s.get('/api/v1/items', t) },
  { name: 'POST /api/v1/items', send: (s, t) => s.send('POST', '/api/v1/items', anItem(), t) },
  { name: 'GET /api/v1/items/:id', send: (s, t, id) => s.get(`/api/v1/items/${id}`, t) },
  {
    name: 'PATCH /api/v1/items/:id',
    send: (s, t, id) => s.send('PATCH', `/api/v1/items/${id}`, { quantity: 3 }, t),
  },
  {
    name: 'DELETE /api/v1/items/:id',
    send: (s, t, id) => s.send('DELETE', `/api/v1/items/${id}`, undefined, t),
  },
];
const SETTINGS_ROUTES: readonly Call[] = [
  { name: 'GET /api/v1/person/settings', send: (s, t) => s.get('/api/v1/person/settings', t) },
  {
    name: 'PUT /api/v1/person/settings',
    send: (s, t) => s.send('PUT', '/api/v1/person/settings', SETTINGS, t),
  },
];
const TOKEN_ROUTE: Call = { name: 'GET /api/v1/token', send: (s, t) => s.get('/api/v1/token', t) };
const EVERY_ROUTE = [...ITEM_ROUTES, ...SETTINGS_ROUTES, TOKEN_ROUTE];

const EXPECTED = {
  'GET /api/v1/items': 200,
  'POST /api/v1/items': 201,
  'GET /api/v1/items/:id': 200,
  'PATCH /api/v1/items/:id': 200,
  'DELETE /api/v1/items/:id': 204,
  'GET /api/v1/person/settings': 200,
  'PUT /api/v1/person/settings': 200,
  'GET /api/v1/token': 200,
} as Record<string, number>;

/** An item of org-1 for the by-id routes (made with an ordinary app token). */
async function itemOf(server: TestApp, appToken: string): Promise<string> {
  const response = await server.send('POST', '/api/v1/items', anItem(), appToken);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe('private access tokens, personal tokens allowed (e2e)', () => {
  const ctx = useHubAndApp({ config: { personalTokens: 'allow' } });
  const appToken = () =>
    tokens(ctx.hub)
      .organization('org-1')
      .scopes(...ALL_SCOPES)
      .mint();
  const orgPat = () => ctx.hub.mintPrivateAccessToken('Organization/org-1', ALL_SCOPES.slice(0, 1));
  const personPat = () => ctx.hub.mintPrivateAccessToken('Person/p-1', ALL_SCOPES.slice(1));

  it.each(ITEM_ROUTES.map((call) => [call.name, call] as const))(
    "an organization's private access token works on %s",
    async (name, call) => {
      const id = await itemOf(ctx.server, appToken());
      expect((await call.send(ctx.server, orgPat(), id)).status).toBe(EXPECTED[name]);
    },
  );

  it.each(SETTINGS_ROUTES.map((call) => [call.name, call] as const))(
    "a person's private access token works on %s",
    async (name, call) => {
      expect((await call.send(ctx.server, personPat(), '')).status).toBe(EXPECTED[name]);
    },
  );

  it('keeps the bearer rules: an organization token is no person, a person no organization', async () => {
    const onSettings = await ctx.server.get('/api/v1/person/settings', orgPat());
    expect(onSettings.status).toBe(403);
    const onItems = await ctx.server.get('/api/v1/items', personPat());
    expect(onItems.status).toBe(403);
  });

  it.each([
    ['an organization', 'Organization/org-1', () => orgPat()],
    ['a person', 'Person/p-1', () => personPat()],
  ])("says that %s's token is personal", async (_, bearer, mint) => {
    const response = await ctx.server.get('/api/v1/token', mint());
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ personal: true, audiences: [] });
    expect(`${(body.bearer as { type: string }).type}/${(body.bearer as { id: string }).id}`).toBe(
      bearer,
    );
    const app = await ctx.server.get('/api/v1/token', appToken());
    expect(((await app.json()) as { personal: boolean }).personal).toBe(false);
  });

  it.each([
    ["another organization's id", 'Organization/org-2'],
    ['a prefix of the id', 'Organization/org-'],
    ['the id with a trailing space', 'Organization/org-1 '],
    ['another case', 'organization/org-1'],
    ['another bearer type', 'Person/org-1'],
  ])('refuses an aud naming %s with unpermitted_audience', async (_, aud) => {
    const lookAlike = tokens(ctx.hub)
      .organization('org-1')
      .scopes(...ALL_SCOPES)
      .audiences([aud])
      .mint();
    const response = await ctx.server.get('/api/v1/items', lookAlike);
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('unpermitted_audience');
  });
});

describe('private access tokens, personal tokens denied (e2e)', () => {
  const ctx = useHubAndApp({ config: { personalTokens: 'deny' } });
  const appToken = () =>
    tokens(ctx.hub)
      .organization('org-1')
      .scopes(...ALL_SCOPES)
      .mint();

  it.each(EVERY_ROUTE.map((call) => [call.name, call] as const))(
    'refuses private access tokens of an organization and of a person on %s',
    async (_, call) => {
      const id = await itemOf(ctx.server, appToken());
      for (const bearer of ['Organization/org-1', 'Person/p-1'] as const) {
        const response = await call.send(
          ctx.server,
          ctx.hub.mintPrivateAccessToken(bearer, ALL_SCOPES),
          id,
        );
        expect(response.status).toBe(401);
        expect(await errorCode(response)).toBe('unpermitted_audience');
      }
      // The same route still serves app tokens.
      expect((await call.send(ctx.server, appToken(), id)).status).not.toBe(401);
    },
  );
});
