import { Controller, Get } from '@nestjs/common';
import { AccessToken, CurrentToken, formatAudience, formatScope, ZaikioAccess } from '../zaikio';

/** What the server understood of the caller's token; any valid token may ask. */
@Controller('api/v1/token')
export class TokenIntrospectionController {
  @Get()
  @ZaikioAccess()
  describe(@CurrentToken() token: AccessToken) {
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
      scopes: token.scopes.map(formatScope),
      expires_at: token.expiresAt.toISOString(),
      jti: token.jti,
    };
  }
}
