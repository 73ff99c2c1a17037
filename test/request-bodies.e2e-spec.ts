// Threat: bodies that pollute prototypes, slip unknown members past validation or overflow the stack.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { UNDECODABLE_BODY } from '../src/common/body-parsers';
import { useHubAndApp } from './support/app';
import { anItem } from './support/items';
import { PROTOTYPE_NAMES } from './support/prototype-names';
import { tokens } from './support/tokens';

describe('request bodies (e2e)', () => {
  const ctx = useHubAndApp();
  const org = () => tokens(ctx.hub).organization('org-bodies').scopes('warehouse.items.rw').mint();
  const person = () => tokens(ctx.hub).person('p-bodies').scopes('warehouse.settings.rw').mint();
  const send = (method: string, path: string, body: string, token: string) =>
    fetch(`${ctx.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
  const withMember = (valid: object, name: string) =>
    `${JSON.stringify(valid).slice(0, -1)},${JSON.stringify(name)}:{"quantity":-1}}`;

  it.each(PROTOTYPE_NAMES)('refuses %s on every write route and changes nothing', async (name) => {
    const created = await send('POST', '/api/v1/items', JSON.stringify(anItem()), org());
    const item = (await created.json()) as { id: string };
    const before = await (await ctx.server.get(`/api/v1/items/${item.id}`, org())).text();
    const settings = { unit_system: 'imperial', locale: 'de-DE' };
    for (const [method, path, valid, token] of [
      ['POST', '/api/v1/items', anItem(), org()],
      ['PATCH', `/api/v1/items/${item.id}`, { quantity: 1 }, org()],
      ['PUT', '/api/v1/person/settings', settings, person()],
    ] as const) {
      const response = await send(method, path, withMember(valid, name), token);
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ errors: { [name]: ['is not allowed'] } });
    }
    expect(await (await ctx.server.get(`/api/v1/items/${item.id}`, org())).text()).toBe(before);
    const list = (await (await ctx.server.get('/api/v1/items', org())).json()) as unknown[];
    expect(list).toHaveLength(PROTOTYPE_NAMES.indexOf(name) + 1);
    const stored = await ctx.server.get('/api/v1/person/settings', person());
    expect(await stored.json()).toEqual({ unit_system: 'metric', locale: 'en' });
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)(
    'reads a %s body, and answers 400 to one that does not inflate',
    async (encoding, compress) => {
      const post = (body: Buffer) =>
        fetch(`${ctx.server.url}/api/v1/items`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${org()}`,
            'content-type': 'application/json',
            'content-encoding': encoding,
          },
          body,
        });
      const item = anItem();
      const created = await post(compress(Buffer.from(JSON.stringify(item))));
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ sku: item.sku });
      const broken = await post(Buffer.from('not compressed at all'));
      expect(broken.status).toBe(400);
      expect(await broken.json()).toEqual({ errors: ['bad_request', UNDECODABLE_BODY] });
    },
  );

  it('answers 400 json_too_deep to a body nested 50,000 levels', async () => {
    const deep = `{"sku":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const response = await send('POST', '/api/v1/items', deep, org());
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: string[] }).errors[0]).toBe('json_too_deep');
  });

  it.each([['null'], ['5'], ['"x"'], ['[]'], ['[{}]']])('answers 422 body to %s', async (body) => {
    const response = await send('PUT', '/api/v1/person/settings', body, person());
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ errors: { body: ['must be a JSON object'] } });
  });
});
