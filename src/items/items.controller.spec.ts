// Covers the items HTTP surface: status codes, wire shape, pagination headers, tenant 404s.
import { INestApplication } from '@nestjs/common';
import { Kysely } from 'kysely';
import request from 'supertest';
import { Database } from '../database';
import {
  anOrganizationToken,
  createHttpTestApp,
  createTestDatabase,
  httpServerOf,
} from '../database/testing';
import { ItemsModule } from './items.module';
import { anItemInput } from './testing/builders';

// Each PGlite database boots a whole PostgreSQL (WASM): seconds, more under parallel load.
jest.setTimeout(30_000);

// The caller picks its organization (and on-behalf person) with test-only headers.
const asAcme = { 'x-test-org': 'org-acme', 'x-test-person': 'person-alice' };
const asGlobex = { 'x-test-org': 'org-globex' };

describe('ItemsController (HTTP)', () => {
  let db: Kysely<Database>;
  let app: INestApplication;
  const http = () => request(httpServerOf(app));

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createHttpTestApp(ItemsModule, db, (req) =>
      anOrganizationToken(req.get('x-test-org') ?? 'org-none', req.get('x-test-person')),
    );
  });

  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  beforeEach(() => db.deleteFrom('items').execute());

  const createItem = async (headers: Record<string, string> = asAcme) => {
    const response = await http().post('/api/v1/items').set(headers).send(anItemInput());
    expect(response.status).toBe(201);
    return response.body as { id: string; sku: string };
  };

  it('creates an item and answers 201 with its snake_case representation', async () => {
    const input = anItemInput({ unit: 'rolls' });
    const response = await http().post('/api/v1/items').set(asAcme).send(input).expect(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...input,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: expect.any(String),
      created_by: { type: 'Person', id: 'person-alice' },
      updated_by: { type: 'Person', id: 'person-alice' },
    });
  });

  it('answers 422 with field errors for a duplicate sku and for invalid input', async () => {
    const { sku } = await createItem();
    const duplicate = await http().post('/api/v1/items').set(asAcme).send(anItemInput({ sku }));
    expect(duplicate.status).toBe(422);
    expect(duplicate.body).toEqual({ errors: { sku: ['has already been taken'] } });
    const invalid = await http()
      .post('/api/v1/items')
      .set(asAcme)
      .send({ ...anItemInput(), quantity: '5', colour: 'red' });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toEqual({
      errors: {
        quantity: expect.arrayContaining([expect.any(String)]),
        colour: ['is not allowed'],
      },
    });
  });

  it('pages the list with Link headers built from the request', async () => {
    for (let i = 0; i < 5; i++) await createItem();
    await createItem(asGlobex);
    const response = await http().get('/api/v1/items?page=2&per_page=2').set(asAcme).expect(200);

    expect(response.body).toHaveLength(2);
    expect(response.headers).toMatchObject({
      'current-page': '2',
      'total-count': '5',
      'total-pages': '3',
    });
    const base = `http://${response.request.url.split('/')[2]}/api/v1/items`;
    expect(response.headers.link).toBe(
      [
        `<${base}?page=1&per_page=2>; rel="first"`,
        `<${base}?page=1&per_page=2>; rel="prev"`,
        `<${base}?page=3&per_page=2>; rel="next"`,
        `<${base}?page=3&per_page=2>; rel="last"`,
      ].join(', '),
    );
  });

  it('defaults to the first page of 100', async () => {
    await createItem();
    const response = await http().get('/api/v1/items').set(asAcme).expect(200);
    expect(response.headers).toMatchObject({ 'current-page': '1', 'total-pages': '1' });
    expect(response.headers.link).toContain('?page=1&per_page=100>; rel="last"');
  });

  it('rejects out-of-range paging parameters', async () => {
    const tooMany = await http().get('/api/v1/items?per_page=101').set(asAcme).expect(422);
    expect(tooMany.body).toEqual({ errors: { per_page: [expect.any(String)] } });
    await http().get('/api/v1/items?page=0').set(asAcme).expect(422);
  });

  it('reads, updates and deletes an item', async () => {
    const { id } = await createItem();
    await http().get(`/api/v1/items/${id}`).set(asAcme).expect(200);
    const patched = await http()
      .patch(`/api/v1/items/${id}`)
      .set(asAcme)
      .send({ quantity: 42 })
      .expect(200);
    expect(patched.body).toMatchObject({ id, quantity: 42 });
    await http().patch(`/api/v1/items/${id}`).set(asAcme).send({ name: null }).expect(422);
    await http().delete(`/api/v1/items/${id}`).set(asAcme).expect(204);
    await http().get(`/api/v1/items/${id}`).set(asAcme).expect(404);
  });

  it('answers 404 for another organization’s item and for ids that are not UUIDs', async () => {
    const { id } = await createItem();
    const foreign = await http().get(`/api/v1/items/${id}`).set(asGlobex).expect(404);
    expect(foreign.body.errors[0]).toBe('not_found');
    await http().patch(`/api/v1/items/${id}`).set(asGlobex).send({ quantity: 1 }).expect(404);
    await http().delete(`/api/v1/items/${id}`).set(asGlobex).expect(404);
    await http().get('/api/v1/items/not-a-uuid').set(asAcme).expect(404);
    await http().delete('/api/v1/items/123').set(asAcme).expect(404);
  });
});
