import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessToken, actingPersonId, CurrentToken, ZaikioAccess } from '../zaikio';
import { PersonSettingsDto } from './dto/person-settings.dto';
import { PersonSettingsService } from './person-settings.service';

/** The acting person's own settings: a Person bearer, or the person of an on-behalf token. */
@ApiTags('person settings')
@Controller('api/v1/person/settings')
@ZaikioAccess({ scope: 'settings', bearer: 'Person' })
export class PersonSettingsController {
  constructor(private readonly settings: PersonSettingsService) {}

  @Get()
  @ApiOkResponse({ type: PersonSettingsDto })
  get(@CurrentToken() token: AccessToken): Promise<PersonSettingsDto> {
    return this.settings.get(personOf(token));
  }

  @Put()
  @ApiOkResponse({ type: PersonSettingsDto })
  replace(
    @CurrentToken() token: AccessToken,
    @Body() body: PersonSettingsDto,
  ): Promise<PersonSettingsDto> {
    return this.settings.replace(personOf(token), body);
  }
}

function personOf(token: AccessToken): string {
  const personId = actingPersonId(token);
  // The Person bearer rule guarantees a person; reaching this means the rule was changed.
  if (personId === null) throw new Error('person settings route reached without a person');
  return personId;
}
