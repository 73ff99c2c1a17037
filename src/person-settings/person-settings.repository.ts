import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { Database, DATABASE, PersonSettingsRow } from '../database';
import { PersonSettings } from './person-settings';

@Injectable()
export class PersonSettingsRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<Database>) {}

  find(personId: string): Promise<PersonSettingsRow | undefined> {
    return this.db
      .selectFrom('person_settings')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirst();
  }

  /** One statement (INSERT … ON CONFLICT), so concurrent first saves cannot collide. */
  upsert(personId: string, settings: PersonSettings): Promise<PersonSettingsRow> {
    return this.db
      .insertInto('person_settings')
      .values({ person_id: personId, unit_system: settings.unit_system, locale: settings.locale })
      .onConflict((conflict) =>
        conflict.column('person_id').doUpdateSet((eb) => ({
          unit_system: eb.ref('excluded.unit_system'),
          locale: eb.ref('excluded.locale'),
          updated_at: sql<Date>`now()`,
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
