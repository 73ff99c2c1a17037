// A client generated from the served document (openapi-typescript types, openapi-fetch runtime)
// used unmodified against the real app: what other Zaikio apps do with our OpenAPI document.
// `npm run typecheck` generates the types first, so tsc checks every call and typed answer here.
import type { OpenAPIObject } from '@nestjs/swagger';
import createClient, { Client } from 'openapi-fetch';
import { servedApiDocument } from '../tools/api-document';
import type { components, paths } from './generated/api';
import { useHubAndApp } from './support/app';
import { anItem } from './support/items';
import { tokens } from './support/tokens';

type Schemas = components['schemas'];
type Item = Schemas['ItemResponseDto'];
type Settings = Schemas['PersonSettingsDto'];
type TokenDescription = Schemas['TokenDescriptionDto'];

/** The members the generated type says are always there (not optional). */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/**
 * Every member a type demands, listed once: tsc refuses a missing or an extra one, so comparing
 * this list with the members the server sent proves the generated type and the answer agree.
 */
const membersOf = <T>(members: Record<RequiredKeys<T>, true>): string[] =>
  Object.keys(members).sort();

const ITEM_MEMBERS = membersOf<Item>({
  id: true,
  sku: true,
  name: true,
  quantity: true,
  unit: true,
  created_at: true,
  updated_at: true,
  created_by: true,
  updated_by: true,
});
const SETTINGS_MEMBERS = membersOf<Settings>({ unit_system: true, locale: true });
const TOKEN_MEMBERS = membersOf<TokenDescription>({
  bearer: true,
  on_behalf_of: true,
  audiences: true,
  personal: true,
  scopes: true,
  expires_at: true,
  jti: true,
});

describe('a client generated from /docs/api.json (e2e)', () => {
  const ctx = useHubAndApp();

  const clientFor = (token: string): Client<paths> =>
    createClient<paths>({ baseUrl: ctx.server.url, headers: { authorization: `Bearer ${token}` } });

  it('is generated from the document this server serves (npm run generate:client builds it in-process)', async () => {
    const generatedFrom = await servedApiDocument();
    const served = (await (await ctx.server.get('/docs/api.json')).json()) as OpenAPIObject;
    expect(served.paths).toEqual(generatedFrom.paths);
    expect(served.components?.schemas).toEqual(generatedFrom.components?.schemas);
  });

  it('runs the item life cycle: create, get, list, update, delete', async () => {
    const editor = tokens(ctx.hub).onBehalf('p-editor', 'org-client').roles('owner');
    const api = clientFor(editor.scopes('warehouse.items.rw').mint());
    const person = { type: 'Person', id: 'p-editor' } as const;

    const created = await api.POST('/api/v1/items', { body: anItem({ quantity: 500 }) });
    expect(created.response.status).toBe(201);
    const item: Item | undefined = created.data;
    if (!item) throw new Error(`create failed: ${JSON.stringify(created.error)}`);
    expect(Object.keys(item).sort()).toEqual(ITEM_MEMBERS);
    expect(item).toMatchObject({ quantity: 500, created_by: person, updated_by: person });
    const path = { id: item.id };

    const read = await api.GET('/api/v1/items/{id}', { params: { path } });
    expect(read.data).toEqual(item);

    const listed = await api.GET('/api/v1/items', { params: { query: { page: 1, per_page: 10 } } });
    const page: Item[] | undefined = listed.data;
    expect(page).toEqual([item]);
    expect(listed.response.headers.get('Total-Count')).toBe('1');

    const updated = await api.PATCH('/api/v1/items/{id}', {
      params: { path },
      body: { quantity: 499, unit: 'pieces' },
    });
    const changed: Item | undefined = updated.data;
    expect(changed).toEqual({
      ...item,
      quantity: 499,
      unit: 'pieces',
      updated_at: expect.any(String),
    });

    const deleted = await api.DELETE('/api/v1/items/{id}', { params: { path } });
    expect(deleted.response.status).toBe(204);
    const gone = await api.GET('/api/v1/items/{id}', { params: { path } });
    expect(gone.response.status).toBe(404);
    const error: Schemas['ZaikioError'] | undefined = gone.error;
    expect(error?.errors[0]).toBe('not_found');
  });

  it('round-trips the settings: defaults, replace, read back', async () => {
    const api = clientFor(
      tokens(ctx.hub).person('p-settings').scopes('warehouse.settings.rw').mint(),
    );

    const defaults: Settings | undefined = (await api.GET('/api/v1/person/settings')).data;
    expect(defaults).toEqual({ unit_system: 'metric', locale: 'en' });

    const body: Settings = { unit_system: 'imperial', locale: 'de-de' };
    const replaced = await api.PUT('/api/v1/person/settings', { body });
    expect(replaced.data).toEqual({ unit_system: 'imperial', locale: 'de-DE' });
    expect(Object.keys(replaced.data ?? {}).sort()).toEqual(SETTINGS_MEMBERS);

    const readBack: Settings | undefined = (await api.GET('/api/v1/person/settings')).data;
    expect(readBack).toEqual(replaced.data);
  });

  it('reads GET /api/v1/token for an organization, an on-behalf and a person token', async () => {
    const describeToken = async (token: string): Promise<TokenDescription> => {
      const { data, error } = await clientFor(token).GET('/api/v1/token');
      if (!data) throw new Error(`GET /api/v1/token failed: ${JSON.stringify(error)}`);
      expect(Object.keys(data).sort()).toEqual(TOKEN_MEMBERS);
      return data;
    };
    const audiences = [{ app: 'warehouse', credentials_name: null, value: 'warehouse' }];
    const common = { audiences, personal: false, expires_at: expect.any(String) };

    const organization = await describeToken(
      tokens(ctx.hub).organization('org-7').scopes('warehouse.items.r').jti('jti-org').mint(),
    );
    // The answer the issue was about: a plain organization token has no acting person.
    const nobody: TokenDescription['on_behalf_of'] = null;
    expect(organization).toEqual({
      ...common,
      bearer: { type: 'Organization', id: 'org-7' },
      on_behalf_of: nobody,
      scopes: ['warehouse.items.r'],
      jti: 'jti-org',
    });

    const onBehalf = await describeToken(
      tokens(ctx.hub).onBehalf('p-7', 'org-7').roles('admin').scopes('warehouse.items.rw').mint(),
    );
    expect(onBehalf).toMatchObject({
      ...common,
      bearer: { type: 'Organization', id: 'org-7' },
      on_behalf_of: { type: 'Person', id: 'p-7', roles: ['admin'] },
    });

    const person = await describeToken(
      tokens(ctx.hub).person('p-7').scopes('warehouse.settings.r').mint(),
    );
    expect(person).toMatchObject({
      ...common,
      bearer: { type: 'Person', id: 'p-7' },
      on_behalf_of: null,
      scopes: ['warehouse.settings.r'],
    });
    expect(new Date(person.expires_at).getTime()).toBeGreaterThan(Date.now());
  });
});
