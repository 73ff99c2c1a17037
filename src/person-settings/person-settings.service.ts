import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/domain-errors';
import { canonicalLocale } from './locale';
import { DEFAULT_PERSON_SETTINGS, PersonSettings } from './person-settings';
import { PersonSettingsRepository } from './person-settings.repository';

@Injectable()
export class PersonSettingsService {
  constructor(private readonly repository: PersonSettingsRepository) {}

  /** The stored settings, or the defaults for a person who never saved any. */
  async get(personId: string): Promise<PersonSettings> {
    const row = await this.repository.find(personId);
    return row ? pick(row) : DEFAULT_PERSON_SETTINGS;
  }

  /** Replaces all settings; the locale is stored in canonical form. */
  async replace(personId: string, settings: PersonSettings): Promise<PersonSettings> {
    // The DTO already rejects bad tags; checking again keeps the service safe on its own.
    const locale = canonicalLocale(settings.locale);
    if (locale === null) {
      throw new ValidationFailedError({ locale: ['is not a valid BCP 47 language tag'] });
    }
    const row = await this.repository.upsert(personId, {
      unit_system: settings.unit_system,
      locale,
    });
    return pick(row);
  }
}

function pick({ unit_system, locale }: PersonSettings): PersonSettings {
  return { unit_system, locale };
}
