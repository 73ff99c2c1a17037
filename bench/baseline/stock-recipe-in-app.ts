/**
 * BASELINE, not our code: the same stock recipe as baseline-app.ts (passport-jwt + jwks-rsa's
 * `passportJwtSecret`), but inside this application: createApp() with every module, middleware,
 * pipe and filter, and only ZaikioAuthGuard swapped for the recipe's global JWT guard. So the same
 * route and handler are measured with nothing changed but how the token is verified.
 */
import { ExecutionContext, Inject, Injectable, INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { createApp } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config';
import { productionLogStream } from '../../src/logging';
import {
  ACCESS_TOKEN_PROPERTY,
  AccessToken,
  PublicMetadata,
  ZaikioAuthGuard,
} from '../../src/zaikio';
import { parseAudience, parseScope, parseSubject } from '../../src/zaikio/token/grammar';
import { stockStrategyOptions } from './baseline-app';

const HUB_URL = Symbol('HUB_URL');

interface JwtPayload {
  sub: string;
  aud: string[];
  scope: string[];
  jti: string;
  exp: number;
}

@Injectable()
class InAppJwtStrategy extends PassportStrategy(Strategy) {
  constructor(@Inject(HUB_URL) hubUrl: string) {
    super(stockStrategyOptions(hubUrl));
  }

  /** The recipe's validate(): the payload mapped to what the app's handlers expect. */
  validate(payload: JwtPayload): AccessToken {
    const subject = parseSubject(payload.sub);
    if (!subject) throw new Error('not a Zaikio subject');
    return {
      bearer: subject.bearer,
      onBehalfOf: null,
      audiences: payload.aud.flatMap((entry) => parseAudience(entry) ?? []),
      personal: false,
      scopes: payload.scope.flatMap((entry) => parseScope(entry) ?? []),
      jti: payload.jti,
      expiresAt: new Date(payload.exp * 1000),
    };
  }
}

/** The recipe's global guard, honouring the app's @Public() and handing on the token like ours. */
@Injectable()
class StockRecipeGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride(PublicMetadata, targets) === true) return true;
    const allowed = (await super.canActivate(context)) as boolean;
    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    request[ACCESS_TOKEN_PROPERTY] = request.user;
    return allowed;
  }
}

export async function startStockRecipeInApp(
  config: AppConfig,
  hubUrl: string,
): Promise<INestApplication> {
  const forRoot = AppModule.forRoot.bind(AppModule);
  AppModule.forRoot = (appConfig, tuning) => {
    const module = forRoot(appConfig, tuning);
    return {
      ...module,
      imports: [...(module.imports ?? []), PassportModule],
      // AppModule's APP_GUARD is `useExisting: ZaikioAuthGuard`: a provider of that token in
      // AppModule itself wins over the one ZaikioAuthModule exports.
      providers: [
        ...(module.providers ?? []),
        { provide: HUB_URL, useValue: hubUrl },
        InAppJwtStrategy,
        { provide: ZaikioAuthGuard, useClass: StockRecipeGuard },
      ],
    };
  };
  return createApp(config, { logStream: productionLogStream() });
}
