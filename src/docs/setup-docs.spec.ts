// Covers the route walk: Swagger's operations get the rules the guard reads (handler over class).
import { Controller, Get, INestApplication, Module, Param, Patch } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AppConfig } from '../config';
import { compileRule, Public, ZaikioAccess } from '../zaikio';
import { DocumentedOperation } from './access-rule-docs';
import { DocsModule } from './docs.module';
import { openApiPath } from './route-access.explorer';
import { buildApiDocument } from './setup-docs';

const config: AppConfig = {
  port: 0,
  zaikioEnv: 'test',
  hubUrl: 'https://hub.example',
  appName: 'warehouse',
  audiences: ['warehouse'],
  personalTokens: 'allow',
  clockToleranceSeconds: 30,
  webhookSecret: null,
  dataDir: '/nonexistent',
  databaseUrl: null,
};

@Controller('/api/v1/probes/')
@ZaikioAccess({ scope: 'probes', bearer: 'Organization' })
class ProbeController {
  @Get()
  list() {}

  @Patch(':probeId')
  @ZaikioAccess({ scope: 'probes', roles: ['owner'] })
  change(@Param('probeId') _id: string) {}

  @Get('status')
  @Public()
  status() {}
}

@Public()
@Controller()
class RootController {
  @Get(['ping', 'pong'])
  ping() {}
}

async function appWith(...imports: Array<typeof DocsModule>): Promise<INestApplication> {
  @Module({ imports, controllers: [ProbeController, RootController] })
  class ProbeModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
  return moduleRef.createNestApplication({ logger: false });
}

describe('buildApiDocument', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await appWith(DocsModule);
  });
  afterAll(() => app.close());

  const operation = (path: string, method: 'get' | 'patch'): DocumentedOperation => {
    const found = buildApiDocument(app, config).paths[path]?.[method];
    if (!found) throw new Error(`${method} ${path} is not documented`);
    return found;
  };

  it('documents the class rule, a handler rule that replaces it, and @Public() handlers', () => {
    expect(operation('/api/v1/probes', 'get')['x-zaikio-access']).toEqual(
      compileRule({ scope: 'probes', bearer: 'Organization' }, 'GET', 'warehouse'),
    );
    expect(operation('/api/v1/probes/{probeId}', 'patch')['x-zaikio-access']).toEqual({
      scopes: ['warehouse.probes.w', 'warehouse.probes.rw'],
      bearer: null,
      roles: ['owner'],
    });
    expect(operation('/api/v1/probes/status', 'get').security).toEqual([]);
    expect(operation('/ping', 'get').security).toEqual([]);
  });

  it('keeps the manifest and logo routes out of the API document', () => {
    const paths = Object.keys(buildApiDocument(app, config).paths);
    expect(paths.filter((path) => path.startsWith('/docs'))).toEqual([]);
  });

  it('says what is missing when DocsModule was not imported', async () => {
    const bare = await appWith();
    expect(() => buildApiDocument(bare, config)).toThrow('import it in the application module');
    await bare.close();
  });
});

describe('openApiPath', () => {
  it.each([
    ['/', '/', '/'],
    ['api/v1/items', '', '/api/v1/items'],
    ['/api/v1/items/', ':id', '/api/v1/items/{id}'],
    ['a', '/:one/b/:two_2', '/a/{one}/b/{two_2}'],
  ])('%s + %s → %s', (base, path, expected) => {
    expect(openApiPath(base, path)).toBe(expected);
  });
});
