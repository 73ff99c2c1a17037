// `npm start`'s development set-up end to end: a client added with the token CLI gets a token
// from the hub on that DATA_DIR through openid-client; when the hub revokes the token, Zaikio's
// revocation event goes hub → stand-in Loom → our webhook, and the app refuses the token at once,
// without reading revoked_access_tokens again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aTestConfig, testEventsConfig } from '../src/config/testing';
import { DevelopmentHub, startDevelopmentHub } from '../src/hub/development-hub';
import { main as tokenCli } from '../src/hub/token-cli';
import { DevelopmentLoom, startDevelopmentLoom } from '../src/loom-standin/development-loom';
import { eventually } from '../src/testing/eventually';
import { errorCode, startApp, TestApp } from './support/app';
import { claimsOf, hubIssuer } from './support/oauth';

/** Runs `npm run -s token -- …` in-process and returns what it printed on stdout. */
async function cli(dataDir: string, ...argv: string[]): Promise<string> {
  const out: string[] = [];
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((c) => out.push(String(c)) > 0),
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true),
  ];
  try {
    expect(await tokenCli(argv, { DATA_DIR: dataDir })).toBe(0);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return out.join('');
}

describe('hub revocation through Loom, with a client added by the token CLI (e2e)', () => {
  let dataDir: string;
  let secret: string;
  let devLoom: DevelopmentLoom;
  let devHub: DevelopmentHub;
  let server: TestApp;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hub-revocation-'));
    await cli(dataDir, 'add', 'organization', 'northwind', '--name', 'Northwind');
    const added = await cli(dataDir, 'add', 'client', 'shop', '--credentials-name', 'shop');
    secret = (JSON.parse(added) as { client: { secret: string } }).client.secret;
    await cli(
      dataDir,
      'add',
      'grant',
      '--client',
      'shop',
      '--org',
      'northwind',
      '--scope',
      'warehouse.items.rw',
    );

    const started = await startDevelopmentLoom(
      aTestConfig({ dataDir, events: testEventsConfig({ loomUrl: null, password: null }) }),
    );
    if (started === null) throw new Error('expected the embedded Loom');
    devLoom = started;
    devHub = await startDevelopmentHub(devLoom.config, { loom: devLoom.hubLoom });
    // The poll interval stays at its 10-minute default: only the event can be this quick.
    server = await startApp(devHub.hub, {
      config: { webhookSecret: devLoom.config.webhookSecret },
    });
    devLoom.deliverTo(server.url);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await devHub?.hub.stop();
    await devLoom?.loom.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const organizationToken = async (): Promise<string> => {
    const issuer = hubIssuer(devHub.hub);
    const client = new issuer.Client({
      client_id: 'shop',
      client_secret: secret,
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const tokens = await client.grant({
      grant_type: 'client_credentials',
      scope: 'Org/northwind.warehouse.items.rw',
    });
    return tokens.access_token!;
  };

  it('gives the CLI-added client a token the app accepts, for the audience the CLI set', async () => {
    const token = await organizationToken();
    expect(claimsOf(token)).toMatchObject({
      sub: 'Organization/northwind',
      aud: ['warehouse/shop'],
      scope: ['warehouse.items.rw'],
    });
    expect((await server.get('/api/v1/items', token)).status).toBe(200);
  });

  it('refuses a token at once after the hub revoked it, through the event at the stand-in Loom', async () => {
    const token = await organizationToken();
    const jti = String(claimsOf(token).jti);
    expect((await server.get('/api/v1/items', token)).status).toBe(200);
    devHub.hub.resetCounts();

    const revoked = await fetch(`${devHub.hub.url}/_standin/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jti }),
    });
    expect(await revoked.json()).toEqual({ revoked: jti, announced: true });

    await eventually(
      async () => (await server.get('/api/v1/items', token)).status === 401,
      5_000,
      'the app refusing the revoked token',
    );
    const refused = await server.get('/api/v1/items', token);
    expect(await errorCode(refused)).toBe('invalid_jwt');
    // Not through the list: the app did not read revoked_access_tokens since.
    expect(devHub.hub.requestCount('revoked')).toBe(0);
    const list = await fetch(`${devHub.hub.url}/api/v1/revoked_access_tokens`);
    expect(((await list.json()) as { revoked_token_ids: string[] }).revoked_token_ids).toContain(
      jti,
    );
    expect(devLoom.loom.events).toContainEqual(
      expect.objectContaining({
        app: 'zaikio',
        event: expect.objectContaining({
          name: 'zaikio.revoked_access_token',
          subject: 'Org/northwind',
          payload: { access_token_id: jti },
        }) as unknown,
      }),
    );
    expect(devLoom.loom.forwards).toContainEqual(
      expect.objectContaining({ url: `${server.url}/webhooks/zaikio`, status: 200 }),
    );
  });
});
