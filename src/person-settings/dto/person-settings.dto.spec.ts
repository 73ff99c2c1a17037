// Covers PersonSettingsDto validation as the global ValidationPipe applies it.
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { PersonSettingsDto } from './person-settings.dto';

async function invalidFields(plain: object): Promise<string[]> {
  const dto = plainToInstance(PersonSettingsDto, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  return errors.map((error) => error.property).sort();
}

describe('PersonSettingsDto', () => {
  it('accepts both unit systems and any well-formed tag', async () => {
    expect(await invalidFields({ unit_system: 'metric', locale: 'de-de' })).toEqual([]);
    expect(await invalidFields({ unit_system: 'imperial', locale: 'en-US' })).toEqual([]);
  });

  it('requires both fields: PUT replaces everything', async () => {
    expect(await invalidFields({})).toEqual(['locale', 'unit_system']);
    expect(await invalidFields({ unit_system: null, locale: null })).toEqual([
      'locale',
      'unit_system',
    ]);
  });

  it.each([['en_US'], [''], [42], ['x'.repeat(36)]])('rejects the locale %j', async (locale) => {
    expect(await invalidFields({ unit_system: 'metric', locale })).toEqual(['locale']);
  });

  it('rejects unknown unit systems and extra fields', async () => {
    expect(await invalidFields({ unit_system: 'nautical', locale: 'en' })).toEqual(['unit_system']);
    expect(await invalidFields({ unit_system: 'metric', locale: 'en', theme: 'dark' })).toEqual([
      'theme',
    ]);
  });
});
