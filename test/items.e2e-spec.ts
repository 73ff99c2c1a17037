// Threat: data leaking between organizations or lost on bad input; covers the items API end to end.
import { errorCode, useHubAndApp } from './support/app';
import { anItem } from './support/items';
import { tokens } from './support/tokens';

interface ItemJson {
  id: string;
  sku: string;
  name: string;
  quantity: number;
  unit: string;
  created_at: string;
  updated_at: string;
  created_by: { type: string; id: string };
  updated_by: { type: string; id: string };
}

describe('items API (e2e)', () => {
  const ctx = useHubAndApp();

  const orgToken = (org: string) =>
    tokens(ctx.hub).organization(org).scopes('warehouse.items.rw').mint();

  async function create(org: string, body = anItem()): Promise<ItemJson> {
    const response = await ctx.server.send('POST', '/api/v1/items', body, orgToken(org));
    expect(response.status).toBe(201);
    return (await response.json()) as ItemJson;
  }

  it('creates, reads, updates and deletes an item with audit parties', async () => {
    const body = anItem({ quantity: 5, unit: 'kg' });
    const created = await create('org-crud', body);
    expect(created).toMatchObject({
      ...body,
      created_by: { type: 'Organization', id: 'org-crud' },
    });
    expect(created.updated_by).toEqual(created.created_by);

    const read = await ctx.server.get(`/api/v1/items/${created.id}`, orgToken('org-crud'));
    expect(await read.json()).toEqual(created);

    const person = tokens(ctx.hub)
      .onBehalf('p-editor', 'org-crud')
      .scopes('warehouse.items.rw')
      .mint();
    const patched = await ctx.server.send(
      'PATCH',
      `/api/v1/items/${created.id}`,
      { quantity: 7 },
      person,
    );
    expect(patched.status).toBe(200);
    const updated = (await patched.json()) as ItemJson;
    expect(updated).toMatchObject({ quantity: 7, sku: body.sku, created_by: created.created_by });
    expect(updated.updated_by).toEqual({ type: 'Person', id: 'p-editor' });

    const deleted = await ctx.server.send(
      'DELETE',
      `/api/v1/items/${created.id}`,
      undefined,
      orgToken('org-crud'),
    );
    expect(deleted.status).toBe(204);
    expect((await ctx.server.get(`/api/v1/items/${created.id}`, orgToken('org-crud'))).status).toBe(
      404,
    );
  });

  it("answers 404 for another organization's item on every route and never changes it", async () => {
    const item = await create('org-a');
    const intruder = orgToken('org-b');
    const path = `/api/v1/items/${item.id}`;
    for (const response of [
      await ctx.server.get(path, intruder),
      await ctx.server.send('PATCH', path, { quantity: 0 }, intruder),
      await ctx.server.send('DELETE', path, undefined, intruder),
    ]) {
      expect(response.status).toBe(404);
      expect(JSON.stringify(await response.json())).not.toContain(item.sku);
    }
    const list = (await (await ctx.server.get('/api/v1/items', intruder)).json()) as ItemJson[];
    expect(list.map((entry) => entry.id)).not.toContain(item.id);
    const owner = (await (await ctx.server.get(path, orgToken('org-a'))).json()) as ItemJson;
    expect(owner.quantity).toBe(item.quantity);
  });

  it('answers 404 for an id that is not a UUID', async () => {
    expect((await ctx.server.get('/api/v1/items/not-a-uuid', orgToken('org-a'))).status).toBe(404);
  });

  it('paginates with page, per_page and the Zaikio headers', async () => {
    for (let i = 0; i < 5; i++) await create('org-pages');
    const response = await ctx.server.get('/api/v1/items?page=2&per_page=2', orgToken('org-pages'));
    expect(response.status).toBe(200);
    expect((await response.json()) as unknown[]).toHaveLength(2);
    expect(response.headers.get('current-page')).toBe('2');
    expect(response.headers.get('total-count')).toBe('5');
    expect(response.headers.get('total-pages')).toBe('3');
    const link = response.headers.get('link') ?? '';
    for (const rel of ['first', 'prev', 'next', 'last']) expect(link).toContain(`rel="${rel}"`);
    expect(link).toContain('page=3');
    const all = await ctx.server.get('/api/v1/items', orgToken('org-pages'));
    expect((await all.json()) as unknown[]).toHaveLength(5);
  });

  it.each([['page=0'], ['per_page=0'], ['per_page=101'], ['page=abc']])(
    'answers 422 to %s',
    async (query) => {
      const response = await ctx.server.get(`/api/v1/items?${query}`, orgToken('org-a'));
      expect(response.status).toBe(422);
      const body = (await response.json()) as { errors: Record<string, string[]> };
      expect(Object.keys(body.errors)).toHaveLength(1);
    },
  );

  it('answers 422 on sku for a duplicate within the organization only', async () => {
    const item = await create('org-dup', anItem({ sku: 'DUP-1' }));
    const duplicate = await ctx.server.send(
      'POST',
      '/api/v1/items',
      anItem({ sku: item.sku }),
      orgToken('org-dup'),
    );
    expect(duplicate.status).toBe(422);
    expect(await duplicate.json()).toEqual({ errors: { sku: ['has already been taken'] } });
    await create('org-other', anItem({ sku: 'DUP-1' }));
  });

  it.each([
    ['missing fields', {}, ['sku', 'name', 'quantity', 'unit']],
    ['empty sku', anItem({ sku: '' }), ['sku']],
    ['long sku', anItem({ sku: 'x'.repeat(65) }), ['sku']],
    ['long name', anItem({ name: 'x'.repeat(201) }), ['name']],
    ['negative quantity', anItem({ quantity: -1 }), ['quantity']],
    ['fractional quantity', anItem({ quantity: 1.5 }), ['quantity']],
    ['quantity as string', { ...anItem(), quantity: '5' }, ['quantity']],
    ['unknown unit', { ...anItem(), unit: 'litres' }, ['unit']],
    ['unknown field', { ...anItem(), colour: 'red' }, ['colour']],
  ])('answers 422 for %s naming the fields', async (_name, body, fields) => {
    const response = await ctx.server.send('POST', '/api/v1/items', body, orgToken('org-valid'));
    expect(response.status).toBe(422);
    const errors = ((await response.json()) as { errors: Record<string, string[]> }).errors;
    expect(Object.keys(errors).sort()).toEqual([...fields].sort());
  });

  it('answers 400 with a clear message to malformed JSON', async () => {
    const response = await ctx.server.send(
      'POST',
      '/api/v1/items',
      '{"sku": ',
      orgToken('org-valid'),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: ['malformed_json', 'The request body is not valid JSON.'],
    });
  });

  it('answers 415 to a body that is not JSON instead of reporting missing fields', async () => {
    const response = await fetch(`${ctx.server.url}/api/v1/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${orgToken('org-valid')}`, 'content-type': 'text/plain' },
      body: 'sku=1',
    });
    expect(response.status).toBe(415);
    expect(await errorCode(response)).toBe('unsupported_media_type');
  });

  it('answers 404 in Zaikio shape for unknown routes', async () => {
    const response = await ctx.server.get('/api/v1/nothing-here', orgToken('org-a'));
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe('not_found');
  });
});
