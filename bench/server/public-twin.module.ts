import { Controller, createParamDecorator, Get, Module } from '@nestjs/common';
import { TokenIntrospectionController } from '../../src/introspection/token-introspection.controller';
import { AccessToken, Public } from '../../src/zaikio';

/** What a typical bench token describes; the twin answers with it instead of a verified token. */
const FIXED_TOKEN: AccessToken = {
  bearer: { type: 'Organization', id: '6f2c3c8e-1d3a-4f0e-9a53-4d1f0c6b7a21' },
  onBehalfOf: null,
  audiences: [{ app: 'warehouse', credentialsName: null }],
  personal: false,
  scopes: [{ app: 'warehouse', name: 'items', permission: 'rw' }],
  jti: 'c5b4a0e6-3f1e-4f7d-8f6a-2b9d0e1c4a77',
  expiresAt: new Date('2030-01-01T00:00:00Z'),
};

/** Stands in for @CurrentToken(): a parameter decorator too, so Nest resolves it the same way. */
const FixedToken = createParamDecorator((): AccessToken => FIXED_TOKEN);

/**
 * BENCH ONLY: the twin of `GET /api/v1/token` marked @Public(). Same handler code, same parameter
 * pipeline, a fixed token: the difference between the two routes is exactly the authentication.
 */
@Controller('bench/public')
@Public()
export class PublicTwinController {
  private readonly twin = new TokenIntrospectionController();

  @Get('token')
  describe(@FixedToken() token: AccessToken) {
    return this.twin.describe(token);
  }
}

@Module({ controllers: [PublicTwinController] })
export class PublicTwinModule {}
