// Covers the route walk: Swagger's operations get the rules the guard reads (handler over class).
import { Controller, Get, INestApplication, Module, Param, Patch } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { get } from 'node:http';
import type { AppConfig } from '../config';
import { compileRule, Public, ZaikioAccess } from '../zaikio';
import { DocumentedOperation } from './access-rule-docs';
import { DocsModule } from './docs.module';
import { openApiPath } from './route-access.explorer';
import { buildApiDocument, setupDocs } from './setup-docs';

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

describe('setupDocs: Swagger UI sign-in', () => {
  /** Serves the docs for `zaikioEnv` on a free loopback port and fetches `path` from them. */
  async function served(zaikioEnv: AppConfig['zaikioEnv'], path: string, host?: string) {
    const app = await appWith(DocsModule);
    try {
      setupDocs(app, { ...config, zaikioEnv });
      await app.listen(0, '127.0.0.1');
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      // node:http, because fetch will not send a Host header of our choosing.
      return await new Promise<{ status: number; text: string }>((resolve, reject) => {
        get(`${url}${path}`, { headers: host ? { host } : {} }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        }).on('error', reject);
      });
    } finally {
      await app.close();
    }
  }

  it('in test, presets the public client with PKCE and the redirect page on the browser’s host', async () => {
    const init = await served('test', '/docs/swagger-ui-init.js');
    expect(init.text).toContain('"clientId": "swagger-ui"');
    expect(init.text).toContain('"usePkceWithAuthorizationCodeGrant": true');
    expect(init.text).not.toMatch(/clientSecret/);
    const remote = await served('development', '/docs/swagger-config.json', 'localhost:3105');
    expect(JSON.parse(remote.text)).toEqual({
      oauth2RedirectUrl: 'http://localhost:3105/docs/oauth2-redirect.html',
    });
    const page = await served('test', '/docs/oauth2-redirect.html');
    expect(page).toEqual({ status: 200, text: expect.stringContaining('oauth2-redirect.js') });
  });

  it.each(['sandbox', 'production'] as const)(
    'in %s, presets nothing: the real hub has no such client',
    async (zaikioEnv) => {
      const init = await served(zaikioEnv, '/docs/swagger-ui-init.js');
      expect(init.status).toBe(200);
      expect(init.text).not.toContain('swagger-ui"');
      expect(init.text).not.toContain('configUrl');
      expect((await served(zaikioEnv, '/docs/swagger-config.json')).status).toBe(404);
    },
  );
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
