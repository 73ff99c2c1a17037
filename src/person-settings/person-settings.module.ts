import { Module } from '@nestjs/common';
import { PersonSettingsController } from './person-settings.controller';
import { PersonSettingsRepository } from './person-settings.repository';
import { PersonSettingsService } from './person-settings.service';

/** Person settings API. Needs DatabaseModule (global) imported once in the application module. */
@Module({
  controllers: [PersonSettingsController],
  providers: [PersonSettingsService, PersonSettingsRepository],
  exports: [PersonSettingsService],
})
export class PersonSettingsModule {}
