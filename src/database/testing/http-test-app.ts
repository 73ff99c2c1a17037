import { DynamicModule, Global, INestApplication, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NextFunction, Request, Response } from 'express';
import { Kysely } from 'kysely';
import type { Server } from 'node:http';
import { Database, DATABASE } from '..';
import { HttpExceptionFilter } from '../../common/http-exception.filter';
import { createValidationPipe } from '../../common/validation.pipe';
import { AccessToken } from '../../zaikio';
import { ACCESS_TOKEN_PROPERTY } from '../../zaikio/rules/decorators';
import { APP_CONFIG } from '../../config';
import { aTestConfig } from '../../config/testing';

/**
 * A Nest app for controller specs around one feature module, with the application's real
 * validation pipe and error filter. The auth guard is left out: `tokenFor` stands in for the
 * verified token, so these specs cover behaviour, not permissions.
 */
export async function createHttpTestApp(
  feature: Type,
  db: Kysely<Database>,
  tokenFor: (request: Request) => AccessToken,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [testDatabaseModule(db), feature],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.use((request: Request, _response: Response, next: NextFunction) => {
    (request as unknown as Record<string, unknown>)[ACCESS_TOKEN_PROPERTY] = tokenFor(request);
    next();
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(aTestConfig()));
  await app.init();
  return app;
}

/** The app's HTTP server, typed (Nest returns `any`), for supertest. */
export function httpServerOf(app: INestApplication): Server {
  return app.getHttpServer() as Server;
}

function testDatabaseModule(db: Kysely<Database>): DynamicModule {
  @Global()
  @Module({})
  class TestDatabaseModule {}
  return {
    module: TestDatabaseModule,
    providers: [
      { provide: DATABASE, useValue: db },
      { provide: APP_CONFIG, useValue: aTestConfig() },
    ],
    exports: [DATABASE, APP_CONFIG],
  };
}

/** Organization token, optionally on behalf of a person: `Person/<pid>>Organization/<oid>`. */
export function anOrganizationToken(organizationId: string, personId?: string): AccessToken {
  return aToken({ type: 'Organization', id: organizationId }, personId);
}

/** A token whose bearer is the person itself. */
export function aPersonToken(personId: string): AccessToken {
  return aToken({ type: 'Person', id: personId });
}

function aToken(bearer: AccessToken['bearer'], onBehalfPersonId?: string): AccessToken {
  return {
    bearer,
    onBehalfOf: onBehalfPersonId ? { id: onBehalfPersonId, roles: ['admin'] } : null,
    audiences: [{ app: 'warehouse', credentialsName: null }],
    personal: false,
    scopes: [],
    jti: null,
    expiresAt: new Date(Date.now() + 60_000),
  };
}
