export { PersonSettingsModule } from './person-settings.module';
export { PersonSettingsController } from './person-settings.controller';
export { PersonSettingsService } from './person-settings.service';
export { PersonSettingsRepository } from './person-settings.repository';
export { PersonSettingsDto } from './dto/person-settings.dto';
export { DEFAULT_PERSON_SETTINGS } from './person-settings';
export type { PersonSettings } from './person-settings';
export { canonicalLocale } from './locale';
