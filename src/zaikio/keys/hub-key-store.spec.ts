// Covers how the key store spaces its fetches against a real stand-in hub: misses, retries, sharing.
import { StandInHub } from '../../hub';
import { eventually } from '../../testing/eventually';
import { HubKeyStore } from './hub-key-store';

const INTERVAL_MS = 300;

describe('HubKeyStore fetch spacing', () => {
  let hub: StandInHub;
  let store: HubKeyStore;

  beforeEach(async () => {
    hub = await StandInHub.start({ keyCount: 1 });
    store = new HubKeyStore({
      url: `${hub.url}/api/v1/jwt_public_keys`,
      timeoutMs: 1_000,
      maxBytes: 1_000_000,
      refreshIntervalMs: 60_000,
      minFetchIntervalMs: INTERVAL_MS,
      retryMinMs: 10,
      retryMaxMs: 20,
    });
    await store.start();
  });

  afterEach(async () => {
    store.stop();
    await hub.stop();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('answers a miss right after a fetch at once, and fetches at the end of the interval', async () => {
    const before = hub.requestCount('keys');
    expect(store.nextFetchAllowedIn()).toBeGreaterThan(0);
    expect(await store.refetchAfterMiss()).toBe(false);
    expect(hub.requestCount('keys')).toBe(before);
    // Brought forward from the minute-long refresh interval to the end of this one (3 s at most).
    await eventually(() => hub.requestCount('keys') === before + 1);
  });

  it('shares one fetch between misses that arrive while it is under way', async () => {
    await sleep(INTERVAL_MS);
    hub.setFault('keys', { type: 'delay', ms: 100 });
    const before = hub.requestCount('keys');
    const results = await Promise.all(Array.from({ length: 20 }, () => store.refetchAfterMiss()));
    expect(results).toEqual(results.map(() => true));
    expect(hub.requestCount('keys')).toBe(before + 1);
  });

  it('keeps retries of a failing hub, misses included, at least the interval apart', async () => {
    hub.setFault('keys', { type: 'status', status: 500 });
    const before = hub.requestCount('keys');
    const started = Date.now();
    // A miss every 20 ms on top of the retry timer, whose own back-off (10-20 ms) is shorter.
    while (Date.now() - started < 1_500) {
      void store.refetchAfterMiss();
      await sleep(20);
    }
    const elapsed = Date.now() - started;
    const fetches = hub.requestCount('keys') - before;
    expect(fetches).toBeGreaterThanOrEqual(2);
    expect(fetches).toBeLessThanOrEqual(Math.floor(elapsed / INTERVAL_MS) + 1);
    // The last good keys still serve.
    expect((await store.candidates(null)).length).toBe(1);
  });
});
