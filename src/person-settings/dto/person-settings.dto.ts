import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, ValidateBy } from 'class-validator';
import { UNIT_SYSTEMS, UnitSystem } from '../../database';
import { canonicalLocale, MAX_LOCALE_LENGTH } from '../locale';
import { PersonSettings } from '../person-settings';

function IsLanguageTag(): PropertyDecorator {
  return ValidateBy({
    name: 'isLanguageTag',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && canonicalLocale(value) !== null,
      defaultMessage: () => '$property must be a BCP 47 language tag such as en or de-DE',
    },
  });
}

/** PUT body (every field required: it replaces the settings) and the response of GET and PUT. */
export class PersonSettingsDto implements PersonSettings {
  @ApiProperty({ enum: [...UNIT_SYSTEMS], example: 'metric' })
  @IsIn(UNIT_SYSTEMS)
  unit_system!: UnitSystem;

  @ApiProperty({
    example: 'de-DE',
    minLength: 2,
    maxLength: MAX_LOCALE_LENGTH,
    // Subtags of letters and digits joined by hyphens; Intl.getCanonicalLocales judges the rest.
    pattern: '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$',
    description: 'BCP 47 language tag; stored and returned in canonical form (de-de → de-DE)',
  })
  @IsString()
  @MaxLength(MAX_LOCALE_LENGTH)
  @IsLanguageTag()
  locale!: string;
}
