// Covers the single source of truth: changing only a route's access metadata changes both the guard and the docs.
import { Controller, Get, INestApplication, Module, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { installBodyParsers } from '../src/common/body-parsers';
import { DocsModule, DocumentedOperation, setupDocs } from '../src/docs';
import { StandInHub } from '../src/hub';
import { AccessRuleMetadata, AccessRuleOptions, PublicMetadata } from '../src/zaikio';
import { errorCode, FAST_TUNING } from './support/app';
import { holdToContract } from './support/contract';
import { startHub } from './support/hub-fixture';
import { tokens } from './support/tokens';
import { aTestConfig } from '../src/config/testing';

jest.setTimeout(60_000); // each step boots the whole app, embedded database included

/** One controller for the whole file: only its metadata changes between the steps below. */
const PROBE = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };

@ApiTags('probes')
@Controller('api/v1/probes')
class ProbeController {
  @Get()
  @ApiOkResponse({ schema: { type: 'array', items: PROBE } })
  list() {
    return [{ id: 'probe-1' }];
  }

  @Post()
  @ApiCreatedResponse({ schema: PROBE })
  create() {
    return { id: 'probe-2' };
  }
}

@Module({ imports: [DocsModule], controllers: [ProbeController] })
class ProbeModule {}

function setMetadata(access: AccessRuleOptions | 'public'): void {
  Reflect.deleteMetadata(PublicMetadata.KEY, ProbeController);
  Reflect.deleteMetadata(AccessRuleMetadata.KEY, ProbeController);
  if (access === 'public') Reflect.defineMetadata(PublicMetadata.KEY, true, ProbeController);
  else Reflect.defineMetadata(AccessRuleMetadata.KEY, access, ProbeController);
}

interface Probe {
  readonly call: (method: 'GET' | 'POST', token?: string) => Promise<Response>;
  readonly operation: (method: 'get' | 'post') => DocumentedOperation;
  readonly close: () => Promise<void>;
}

/** The real application module plus the probe, with the docs set up as createApp does. */
async function boot(hub: StandInHub): Promise<Probe> {
  const dataDir = await mkdtemp(join(tmpdir(), 'warehouse-docs-rules-'));
  const config = aTestConfig({
    hubUrl: hub.url,
    personalTokens: 'allow',
    clockToleranceSeconds: 30,
    dataDir,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, FAST_TUNING), ProbeModule],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({
    bodyParser: false,
    logger: ['error'],
  });
  installBodyParsers(app);
  setupDocs(app, config);
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;
  const document = (await (await fetch(`${url}/docs/api.json`)).json()) as OpenAPIObject;
  holdToContract(app.getHttpServer() as Server, document);
  return {
    call: (method, token) =>
      fetch(`${url}/api/v1/probes`, {
        method,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      }),
    operation: (method) => {
      const found = document.paths['/api/v1/probes']?.[method];
      if (!found) throw new Error(`${method} /api/v1/probes is not documented`);
      return found;
    },
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe('access rule metadata drives guard and docs alike (e2e)', () => {
  let hub: StandInHub;
  let probe: Probe | undefined;

  beforeAll(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await probe?.close();
    probe = undefined;
  });

  afterAll(async () => {
    setMetadata({});
    await hub.stop();
  });

  const org = () => tokens(hub).organization('org-1');

  it('a scope: reads need r or rw, writes need w or rw', async () => {
    setMetadata({ scope: 'probes' });
    probe = await boot(hub);
    const reader = org().scopes('warehouse.probes.r').mint();
    expect((await probe.call('GET', reader)).status).toBe(200);
    const refused = await probe.call('POST', reader);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain(
      'scope="warehouse.probes.w warehouse.probes.rw"',
    );
    expect(probe.operation('get')['x-zaikio-access']).toEqual({
      scopes: ['warehouse.probes.r', 'warehouse.probes.rw'],
      bearer: null,
      roles: [],
    });
    expect(probe.operation('post').security).toEqual([
      { bearer: [] },
      {
        zaikio_oauth: [
          'Org.warehouse.probes.w',
          'Org.warehouse.probes.rw',
          'Per.warehouse.probes.w',
          'Per.warehouse.probes.rw',
        ],
      },
    ]);
  });

  it('an access override and a bearer type: both change in guard and docs', async () => {
    setMetadata({ scope: 'probes', access: 'r', bearer: 'Person' });
    probe = await boot(hub);
    const reader = () => tokens(hub).scopes('warehouse.probes.r');
    expect(await errorCode(await probe.call('GET', reader().organization('o').mint()))).toBe(
      'unpermitted_subject',
    );
    expect((await probe.call('POST', reader().person('p').mint())).status).toBe(201);
    expect(probe.operation('post')['x-zaikio-access']).toEqual({
      scopes: ['warehouse.probes.r', 'warehouse.probes.rw'],
      bearer: 'Person',
      roles: [],
    });
    expect(probe.operation('get').description).toContain('bearer: a Person');
  });

  it('@Public(): no token needed, and the docs say so', async () => {
    setMetadata('public');
    probe = await boot(hub);
    expect((await probe.call('GET')).status).toBe(200);
    const operation = probe.operation('get');
    expect(operation.security).toEqual([]);
    expect(operation['x-zaikio-access']).toBeUndefined();
    expect(Object.keys(operation.responses)).not.toContain('401');
  });
});
