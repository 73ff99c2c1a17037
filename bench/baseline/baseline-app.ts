/**
 * BASELINE, not our code: the stock NestJS recipe for RS256 JWTs from a JWKS endpoint, i.e.
 * @nestjs/passport + passport-jwt with jwks-rsa's `passportJwtSecret` (as in the NestJS docs'
 * authentication chapter and Auth0's NestJS guide). jsonwebtoken gets a PEM string from jwks-rsa's
 * cache and parses it again on every request. Used only to compare against in `npm run bench`.
 */
import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Inject,
  Injectable,
  INestApplication,
  Module,
  Req,
  SetMetadata,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy, StrategyOptions } from 'passport-jwt';

const HUB_URL = Symbol('HUB_URL');
const IS_PUBLIC_KEY = 'isPublic';
const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

interface JwtPayload {
  sub: string;
  aud: string[];
  scope: string[];
  jti: string;
  exp: number;
}

/** The recipe's strategy options, shared with the in-app baseline (stock-recipe-in-app.ts). */
export function stockStrategyOptions(
  hubUrl: string,
): Exclude<StrategyOptions, { passReqToCallback: true }> {
  return {
    secretOrKeyProvider: passportJwtSecret({
      cache: true,
      rateLimit: true,
      jwksRequestsPerMinute: 5,
      jwksUri: `${hubUrl}/api/v1/jwt_public_keys`,
    }),
    jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
    audience: 'warehouse',
    issuer: 'ZAI',
    algorithms: ['RS256'],
  };
}

@Injectable()
class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(@Inject(HUB_URL) hubUrl: string) {
    super(stockStrategyOptions(hubUrl));
  }

  validate(payload: JwtPayload): JwtPayload {
    return payload;
  }
}

/** The docs' global guard: every route needs a JWT unless it is marked @Public(). */
@Injectable()
class JwtAuthGuard extends AuthGuard('jwt') implements CanActivate {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : super.canActivate(context);
  }
}

const FIXED_PAYLOAD: JwtPayload = {
  sub: 'Organization/6f2c3c8e-1d3a-4f0e-9a53-4d1f0c6b7a21',
  aud: ['warehouse'],
  scope: ['warehouse.items.rw'],
  jti: 'c5b4a0e6-3f1e-4f7d-8f6a-2b9d0e1c4a77',
  exp: 1_893_456_000,
};

/** The same answer as our `GET /api/v1/token`, built from the payload passport-jwt verified. */
function describe(payload: JwtPayload) {
  const [type, id] = payload.sub.split('/');
  return {
    bearer: { type, id },
    on_behalf_of: null,
    audiences: payload.aud.map((value) => ({ app: value, credentials_name: null, value })),
    scopes: payload.scope,
    expires_at: new Date(payload.exp * 1000).toISOString(),
    jti: payload.jti,
  };
}

@Controller()
class BaselineController {
  @Get('api/v1/token')
  token(@Req() request: { user: JwtPayload }) {
    return describe(request.user);
  }

  @Get('bench/public/token')
  @Public()
  publicToken() {
    return describe(FIXED_PAYLOAD);
  }
}

@Module({})
class BaselineModule {
  static forRoot(hubUrl: string) {
    return {
      module: BaselineModule,
      imports: [PassportModule],
      controllers: [BaselineController],
      providers: [
        { provide: HUB_URL, useValue: hubUrl },
        JwtStrategy,
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
    };
  }
}

export async function startBaselineApp(hubUrl: string): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(BaselineModule.forRoot(hubUrl), {
    logger: ['error'],
  });
  app.disable('x-powered-by');
  return app;
}
