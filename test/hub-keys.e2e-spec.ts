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

  /** Waits until a miss would fetch at once (no key fetch started within the interval). */
  const fetchAllowed = () => eventually(() => keyStore().nextFetchAllowedIn() === 0);

  it.each([
    ['with kid', (kid: string) => tokens(hub).signedWith(kid).mint()],
    ['without kid', (kid: string) => tokens(hub).signedWith(kid).withoutKid().mint()],
  ])('accepts a token of a key published mid-run on its first request (%s)', async (_, mint) => {
    await fetchAllowed();
    const kid = await hub.rotateKey();
    const before = hub.requestCount('keys');
    const response = await server.get('/api/v1/token', mint(kid));
    expect(response.status).toBe(200);
    expect(hub.requestCount('keys')).toBe(before + 1);
    // The old keys stay published and keep working, without asking the hub again.
    const old = tokens(hub).signedWith(hub.kids[0]).withoutKid().mint();
    expect((await server.get('/api/v1/token', old)).status).toBe(200);
    expect(hub.requestCount('keys')).toBe(before + 1);
  });

  it('decides every request that arrives during a key fetch against that one fetch', async () => {
    await fetchAllowed();
    const kid = await hub.rotateKey();
    hub.setFault('keys', { type: 'delay', ms: 200 });
    const before = hub.requestCount('keys');
    const fresh = [
      ...Array.from({ length: 10 }, () => tokens(hub).signedWith(kid).mint()),
      ...Array.from({ length: 10 }, () => tokens(hub).signedWith(kid).withoutKid().mint()),
    ];
    const responses = await Promise.all(fresh.map((token) => server.get('/api/v1/token', token)));
    expect(responses.map((response) => response.status)).toEqual(fresh.map(() => 200));
    expect(hub.requestCount('keys')).toBe(before + 1);
  });

  it('refuses a new key at once right after a fetch, then accepts it within the interval', async () => {
    // An interval long enough that generating the key and one request surely fit inside it.
    const patient = await startApp(hub, { tuning: { keyFetchMinIntervalMs: 3_000 } });
    try {
      const store = patient.app.get(ZaikioHubService).keys;
      await store.refresh();
      const kid = await hub.rotateKey();
      const token = tokens(hub).signedWith(kid).mint();
      const before = hub.requestCount('keys');
      const loaded = store.status().loadedAt?.getTime();
      const refused = await patient.get('/api/v1/token', token);
      expect(refused.status).toBe(401);
      expect(await errorCode(refused)).toBe('invalid_jwt');
      expect(hub.requestCount('keys')).toBe(before);
      // The refusal brought the next fetch forward: no further request is needed to trigger it.
      await eventually(() => store.status().loadedAt?.getTime() !== loaded, 5_000);
      expect((await patient.get('/api/v1/token', token)).status).toBe(200);
      expect(hub.requestCount('keys')).toBe(before + 1);
    } finally {
      await patient.close();
    }
  });

  it('asks the hub once for a kid-less token no key verifies, then refuses it', async () => {
    await fetchAllowed();
    const outsider = await startHub();
    try {
      const before = hub.requestCount('keys');
      const response = await server.get('/api/v1/token', tokens(outsider).withoutKid().mint());
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe('invalid_jwt');
      expect(hub.requestCount('keys')).toBe(before + 1);
    } finally {
      await outsider.stop();
    }
  });

  it('does not ask the hub for a token whose known kid does not verify', async () => {
    await fetchAllowed();
    const before = hub.requestCount('keys');
    const forged = tokens(hub).header({ kid: hub.kids[0] }).signedWith(hub.kids[1]).mint();
    const response = await server.get('/api/v1/token', forged);
    expect(response.status).toBe(401);
    expect(hub.requestCount('keys')).toBe(before);
  });

  it('stops accepting a cached kid-less token once its key is no longer published', async () => {
    const [removed] = hub.kids;
    const token = tokens(hub).signedWith(removed).withoutKid().mint();
    // The second verification puts it in the cache of verified tokens, the third is a hit.
    for (let i = 0; i < 3; i++) expect((await server.get('/api/v1/token', token)).status).toBe(200);
    await hub.removeKey(removed);
    await keyStore().refresh();
    const response = await server.get('/api/v1/token', token);
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('invalid_jwt');
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

describe('hub keys under a flood of forged tokens (e2e, production refetch interval)', () => {
  const INTERVAL_MS = 5_000;
  const SENDERS = 4;

  it('picks up a key published mid-flood within the interval, asking the hub at most every 5 s', async () => {
    const hub = await startHub({ keyCount: 2 });
    const outsider = await startHub();
    const server = await startApp(hub, { tuning: { keyFetchMinIntervalMs: INTERVAL_MS } });
    const statuses = new Map<number, number>();
    let flooding = true;
    // Unknown kids and kid-less tokens of a key the hub never published, as fast as they go.
    const sender = async (id: number) => {
      for (let i = 0; flooding && i < 3_000; i++) {
        const forged =
          i % 2 === 0
            ? tokens(hub)
                .header({ kid: `forged-${id}-${i}` })
                .mint()
            : tokens(outsider).withoutKid().mint();
        const { status } = await server.get('/api/v1/token', forged);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    try {
      const before = hub.requestCount('keys');
      const floodStart = Date.now();
      const senders = Array.from({ length: SENDERS }, (_, id) => sender(id));
      await new Promise((resolve) => setTimeout(resolve, 500));

      const kid = await hub.rotateKey();
      const published = Date.now();
      const fresh = tokens(hub).signedWith(kid);
      // The bound is the interval plus one loopback fetch; a second of slack for a loaded machine.
      await eventually(
        async () => (await server.get('/api/v1/token', fresh.mint())).status === 200,
        INTERVAL_MS + 1_000,
        'the new key accepted',
      );
      const acceptedAfter = Date.now() - published;
      expect((await server.get('/api/v1/token', fresh.withoutKid().mint())).status).toBe(200);

      flooding = false;
      await Promise.all(senders);
      const elapsed = Date.now() - floodStart;
      const keyRequests = hub.requestCount('keys') - before;
      expect([...statuses.keys()]).toEqual([401]);
      expect(statuses.get(401)).toBeGreaterThan(100);
      expect(keyRequests).toBeGreaterThanOrEqual(1);
      expect(keyRequests).toBeLessThanOrEqual(Math.floor(elapsed / INTERVAL_MS) + 1);
      expect(acceptedAfter).toBeLessThanOrEqual(INTERVAL_MS + 1_000);
    } finally {
      flooding = false;
      await server.close();
      await outsider.stop();
      await hub.stop();
    }
  }, 30_000);
});
