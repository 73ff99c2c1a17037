// Covers the person settings HTTP surface for Person bearers and on-behalf tokens.
import { INestApplication } from '@nestjs/common';
import { Kysely } from 'kysely';
import request from 'supertest';
import { Database } from '../database';
import {
  anOrganizationToken,
  aPersonToken,
  createHttpTestApp,
  createTestDatabase,
  httpServerOf,
} from '../database/testing';
import { PersonSettingsModule } from './person-settings.module';

// Each PGlite database boots a whole PostgreSQL (WASM): seconds, more under parallel load.
jest.setTimeout(30_000);

// Test-only headers pick the caller: a person bearer, or an organization on behalf of a person.
const asBob = { 'x-test-person': 'person-bob' };
const asBobViaOrganization = { 'x-test-org': 'org-acme', 'x-test-person': 'person-bob' };

describe('PersonSettingsController (HTTP)', () => {
  let db: Kysely<Database>;
  let app: INestApplication;
  const http = () => request(httpServerOf(app));

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createHttpTestApp(PersonSettingsModule, db, (req) => {
      const org = req.get('x-test-org');
      const person = req.get('x-test-person') ?? 'person-none';
      return org ? anOrganizationToken(org, person) : aPersonToken(person);
    });
  });

  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  beforeEach(() => db.deleteFrom('person_settings').execute());

  it('answers the defaults before anything was saved', async () => {
    const response = await http().get('/api/v1/person/settings').set(asBob).expect(200);
    expect(response.body).toEqual({ unit_system: 'metric', locale: 'en' });
  });

  it('replaces the settings and returns the stored, canonical form', async () => {
    const put = await http()
      .put('/api/v1/person/settings')
      .set(asBob)
      .send({ unit_system: 'imperial', locale: 'de-de' })
      .expect(200);
    expect(put.body).toEqual({ unit_system: 'imperial', locale: 'de-DE' });
    // The on-behalf token acts as the same person, so it sees the same settings.
    const get = await http().get('/api/v1/person/settings').set(asBobViaOrganization).expect(200);
    expect(get.body).toEqual(put.body);
  });

  it('rejects invalid or partial bodies with 422', async () => {
    const invalid = await http()
      .put('/api/v1/person/settings')
      .set(asBob)
      .send({ unit_system: 'metric', locale: 'en_US' })
      .expect(422);
    expect(invalid.body).toEqual({
      errors: { locale: ['locale must be a BCP 47 language tag such as en or de-DE'] },
    });
    const partial = await http()
      .put('/api/v1/person/settings')
      .set(asBob)
      .send({ locale: 'en' })
      .expect(422);
    expect(partial.body).toEqual({ errors: { unit_system: [expect.any(String)] } });
  });
});
