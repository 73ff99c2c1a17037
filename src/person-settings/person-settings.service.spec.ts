// Covers person settings storage on a real (in-memory PGlite) database: defaults, upsert, canonical locales.
import { Kysely } from 'kysely';
import { ValidationFailedError } from '../common/domain-errors';
import { Database } from '../database';
import { createTestDatabase } from '../database/testing';
import { DEFAULT_PERSON_SETTINGS } from './person-settings';
import { PersonSettingsRepository } from './person-settings.repository';
import { PersonSettingsService } from './person-settings.service';

// Each PGlite database boots a whole PostgreSQL (WASM): seconds, more under parallel load.
jest.setTimeout(30_000);

describe('PersonSettingsService', () => {
  let db: Kysely<Database>;
  let service: PersonSettingsService;
  const storedRows = () => db.selectFrom('person_settings').selectAll().execute();

  beforeAll(async () => {
    db = await createTestDatabase();
    service = new PersonSettingsService(new PersonSettingsRepository(db));
  });

  afterAll(() => db.destroy());

  beforeEach(() => db.deleteFrom('person_settings').execute());

  it('returns the defaults for a person without settings, without storing them', async () => {
    expect(await service.get('p-new')).toEqual({ unit_system: 'metric', locale: 'en' });
    expect(DEFAULT_PERSON_SETTINGS).toEqual({ unit_system: 'metric', locale: 'en' });
    expect(await storedRows()).toEqual([]);
  });

  it('stores the canonical locale and returns what it stored', async () => {
    const saved = await service.replace('p-1', { unit_system: 'imperial', locale: 'de-de' });
    expect(saved).toEqual({ unit_system: 'imperial', locale: 'de-DE' });
    expect(await service.get('p-1')).toEqual(saved);
  });

  it('replaces earlier settings in place, one row per person', async () => {
    await service.replace('p-1', { unit_system: 'imperial', locale: 'en-GB' });
    const [first] = await storedRows();
    await service.replace('p-1', { unit_system: 'metric', locale: 'fr' });
    const rows = await storedRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ person_id: 'p-1', unit_system: 'metric', locale: 'fr' });
    expect(rows[0].updated_at.getTime()).toBeGreaterThanOrEqual(first.updated_at.getTime());
  });

  it('keeps settings of different people apart', async () => {
    await service.replace('p-1', { unit_system: 'imperial', locale: 'en-US' });
    expect(await service.get('p-2')).toEqual(DEFAULT_PERSON_SETTINGS);
  });

  it('refuses a malformed locale even without the DTO in front of it', async () => {
    await expect(
      service.replace('p-1', { unit_system: 'metric', locale: 'en_US' }),
    ).rejects.toEqual(
      new ValidationFailedError({ locale: ['is not a valid BCP 47 language tag'] }),
    );
    expect(await storedRows()).toEqual([]);
  });
});
