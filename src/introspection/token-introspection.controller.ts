import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessToken, CurrentToken, formatAudience, formatScope, ZaikioAccess } from '../zaikio';
import { TokenDescriptionDto } from './token-description.dto';

/** What the server understood of the caller's token; any valid token may ask. */
@ApiTags('token')
@Controller('api/v1/token')
export class TokenIntrospectionController {
  @Get()
  @ZaikioAccess()
  @ApiOkResponse({ type: TokenDescriptionDto })
  describe(@CurrentToken() token: AccessToken): TokenDescriptionDto {
    return {
      bearer: token.bearer,
      on_behalf_of: token.onBehalfOf
        ? { type: 'Person', id: token.onBehalfOf.id, roles: token.onBehalfOf.roles }
        : null,
      audiences: token.audiences.map((audience) => ({
        app: audience.app,
        credentials_name: audience.credentialsName,
        value: formatAudience(audience),
      })),
      personal: token.personal,
      scopes: token.scopes.map(formatScope),
      expires_at: token.expiresAt.toISOString(),
      jti: token.jti,
    };
  }
}
