// Threat: a hub that rotates keys or fails; covers rotation, kid-less tokens, refetch limits, outages.
import { StandInHub } from '../src/hub';
import { ZaikioHubService } from '../src/zaikio';
import { errorCode, startApp, TestApp } from './support/app';
import { startHub } from './support/hub-fixture';
import { tokens } from './support/tokens';
import { eventually } from '../src/testing/eventually';

describe('hub keys (e2e)', () => {
  let hub: StandInHub;
  let server: TestApp;

  beforeEach(async () => {
    hub = await startHub({ keyCount: 3 });
    server = await startApp(hub);
  });

  afterEach(async () => {
    await server.close();
    await hub.stop();
  });

  const keyStore = () => server.app.get(ZaikioHubService).keys;

  it('verifies kid-less tokens against every one of three published keys', async () => {
    expect(hub.kids).toHaveLength(3);
    for (const kid of hub.kids) {
      const token = tokens(hub).signedWith(kid).withoutKid().mint();
      expect((await server.get('/api/v1/token', token)).status).toBe(200);
    }
  });

  it('refuses a kid-less token signed by a key the hub does not publish', async () => {
    const outsider = await startHub();
    try {
      const token = tokens(outsider).withoutKid().mint();
      const response = await server.get('/api/v1/token', token);
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe('invalid_jwt');
    } finally {
      await outsider.stop();
    }
  });

  it('accepts a token signed with a newly rotated key after one refetch', async () => {
    const before = hub.requestCount('keys');
    const kid = await hub.rotateKey();
    const token = tokens(hub).signedWith(kid).mint();
    expect((await server.get('/api/v1/token', token)).status).toBe(200);
    expect(hub.requestCount('keys')).toBe(before + 1);
    // The old keys stay published and keep working.
    const old = tokens(hub).signedWith(hub.kids[0]).mint();
    expect((await server.get('/api/v1/token', old)).status).toBe(200);
  });

  it('asks the hub at most once per interval however many unknown kids arrive', async () => {
    const before = hub.requestCount('keys');
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        server.get(
          '/api/v1/token',
          tokens(hub)
            .header({ kid: `forged-${index}` })
            .mint(),
        ),
      ),
    );
    expect(responses.every((response) => response.status === 401)).toBe(true);
    expect(hub.requestCount('keys') - before).toBeLessThanOrEqual(1);
  });

  it('keeps serving the last good keys while the hub fails in every way', async () => {
    const token = tokens(hub).mint();
    const faults = [
      { type: 'status', status: 500 },
      { type: 'status', status: 429 },
      { type: 'hang' },
      { type: 'reset' },
      { type: 'truncated' },
      { type: 'non-json' },
      { type: 'wrong-content-type' },
      { type: 'empty-keys' },
      { type: 'huge', bytes: 3_000_000 },
    ] as const;
    for (const fault of faults) {
      hub.setFault('keys', fault);
      expect(keyStore().status().loaded).toBe(true);
      await keyStore().refresh();
      expect(keyStore().status().lastError).not.toBeNull();
      expect((await server.get('/api/v1/token', token)).status).toBe(200);
    }
  });

  it('stops accepting tokens of a removed key after the next refresh', async () => {
    const [removed] = hub.kids;
    const token = tokens(hub).signedWith(removed).mint();
    expect((await server.get('/api/v1/token', token)).status).toBe(200);
    await hub.removeKey(removed);
    await keyStore().refresh();
    const response = await server.get('/api/v1/token', token);
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('invalid_jwt');
  });
});

describe('hub down before start (e2e)', () => {
  it('answers 503 hub_unavailable until the first keys load, then authenticates', async () => {
    const hub = await startHub();
    hub.setFault('keys', { type: 'status', status: 500 });
    const server = await startApp(hub);
    try {
      const token = tokens(hub).mint();
      const refused = await server.get('/api/v1/token', token);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await errorCode(refused)).toBe('hub_unavailable');
      expect((await server.get('/health')).status).toBe(503);
      // A request without a token is still the client's fault.
      expect((await server.get('/api/v1/token')).status).toBe(401);

      hub.setFault('keys', null);
      await eventually(async () => (await server.get('/health')).status === 200);
      expect((await server.get('/api/v1/token', token)).status).toBe(200);
    } finally {
      await server.close();
      await hub.stop();
    }
  });

  it('keeps authenticating when only the roles and revocation endpoints fail', async () => {
    const hub = await startHub();
    hub.setFault('roles', { type: 'status', status: 500 });
    hub.setFault('revoked', { type: 'non-json' });
    const server = await startApp(hub);
    try {
      expect((await server.get('/api/v1/token', tokens(hub).mint())).status).toBe(200);
      const onBehalf = tokens(hub).onBehalf('p-1', 'org-1').roles('owner').mint();
      expect((await server.get('/api/v1/token', onBehalf)).status).toBe(200);
    } finally {
      await server.close();
      await hub.stop();
    }
  });
});
