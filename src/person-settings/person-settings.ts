import { UnitSystem } from '../database';

export interface PersonSettings {
  readonly unit_system: UnitSystem;
  /** A canonical BCP 47 language tag, e.g. `de-DE`. */
  readonly locale: string;
}

/** What a person gets until they save settings (GET does not store these). */
export const DEFAULT_PERSON_SETTINGS: PersonSettings = { unit_system: 'metric', locale: 'en' };
