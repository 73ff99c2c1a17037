// Several instances on one PostgreSQL and one Redis: shared data, revocations, rate limits, and a
// Redis outage that must never turn valid requests into 5xx.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { StandInHub } from '../src/hub';
import { loomSignature } from '../src/zaikio';
import { errorCode, startApp, TestApp, WEBHOOK_SECRET } from './support/app';
import { anItem } from './support/items';
import { freshDatabase, RunningServer, serverPlan, startRedis } from './support/servers';
import { tokens } from './support/tokens';
import { revocationEvent } from './support/loom-events';

const plan = serverPlan();
const RATE_LIMIT = 8;

async function postWebhook(app: TestApp, body: string): Promise<number> {
  const response = await fetch(`${app.url}/webhooks/zaikio`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-loom-signature': loomSignature(WEBHOOK_SECRET, body),
    },
    body,
  });
  return response.status;
}

/** Polls until check() holds; returns the milliseconds it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

if (plan.missing !== null && process.env.CI === 'true') {
  describe('fleet (e2e)', () => {
    it('has PostgreSQL and Redis to run against', () => {
      throw new Error(
        `The fleet tests need real servers under CI: ${plan.missing}. Set TEST_DATABASE_URL and ` +
          'TEST_REDIS_URL (.ci/run starts both) or install postgresql and redis-server.',
      );
    });
  });
} else if (plan.missing !== null) {
  console.warn(
    `\n!!! SKIPPING the fleet e2e tests (PostgreSQL + Redis): ${plan.missing}.\n` +
      '!!! Install postgresql and redis-server, or set TEST_DATABASE_URL and TEST_REDIS_URL.\n',
  );
  describe.skip('fleet (e2e)', () => {
    it('needs PostgreSQL and Redis', () => undefined);
  });
} else {
  describe('fleet (e2e)', () => {
    const run = randomUUID().slice(0, 8);
    const owned: RunningServer[] = [];
    const apps: TestApp[] = [];
    let hub: StandInHub;
    let databaseUrl: string;
    let dropDatabase: () => Promise<void>;
    let redisUrl: string;
    let a: TestApp;
    let b: TestApp;

    const fleetConfig = () => ({
      databaseUrl,
      redisUrl,
      redisKeyPrefix: `fleet-${run}:`,
      rateLimit: { limit: RATE_LIMIT, windowSeconds: 60 },
    });

    async function instance(config: Partial<TestApp['config']> = fleetConfig()): Promise<TestApp> {
      const app = await startApp(hub, { config });
      apps.push(app);
      return app;
    }

    async function stop(app: TestApp): Promise<void> {
      apps.splice(apps.indexOf(app), 1);
      await app.close();
    }

    beforeAll(async () => {
      const database = await freshDatabase(plan, `warehouse_fleet_${run}`, owned);
      databaseUrl = database.url;
      dropDatabase = database.drop;
      if (plan.redisUrl !== null) {
        redisUrl = plan.redisUrl;
      } else {
        const redis = await startRedis(plan.redisServer!);
        owned.push(redis);
        redisUrl = redis.url;
      }
      hub = await StandInHub.start();
      // Both at once on an empty database: the migrations must take turns, not collide.
      [a, b] = await Promise.all([instance(), instance()]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
      await hub?.stop();
      await dropDatabase?.();
      await Promise.all(owned.map((server) => server.stop()));
    }, 60_000);

    it('migrated the shared database exactly once although both instances started together', async () => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>(
          'select name from kysely_migration order by name',
        );
        expect(rows.map((row) => row.name)).toEqual([...new Set(rows.map((row) => row.name))]);
        expect(rows.length).toBeGreaterThanOrEqual(2);
      } finally {
        await client.end();
      }
      for (const app of [a, b]) {
        const health = await app.get('/health');
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ redis: { status: 'up' } });
      }
    });

    it('reads through one instance an item created through the other', async () => {
      const token = tokens(hub)
        .organization(`org-items-${run}`)
        .scopes('warehouse.items.rw')
        .mint();
      const created = await a.send('POST', '/api/v1/items', anItem(), token);
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const read = await b.get(`/api/v1/items/${id}`, token);
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ id });
    });

    it('enforces a webhook revocation sent to A on B within a second, and after B restarts', async () => {
      const jti = `fleet-revoked-${run}`;
      const token = tokens(hub).organization(`org-revoke-${run}`).jti(jti).mint();
      expect((await b.get('/api/v1/token', token)).status).toBe(200);

      expect(await postWebhook(a, revocationEvent(jti))).toBe(200);
      const took = await within(
        1_000,
        async () => (await b.get('/api/v1/token', token)).status === 401,
      );
      expect(took).toBeLessThan(1_000);
      const refused = await b.get('/api/v1/token', token);
      expect(await errorCode(refused)).toBe('invalid_jwt');

      // The hub never heard of this revocation: a new instance learns it from Redis alone.
      await stop(b);
      b = await instance();
      expect((await b.get('/api/v1/token', token)).status).toBe(401);
    });

    it('shares one rate limit per app and subject between the instances', async () => {
      const subject = tokens(hub).organization(`org-limit-${run}`);
      const token = subject.mint();
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT; i += 1) {
        statuses.push((await (i % 2 === 0 ? a : b).get('/api/v1/token', token)).status);
      }
      expect(statuses).toEqual(Array(RATE_LIMIT).fill(200));

      const limited = await a.get('/api/v1/token', token);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({ errors: ['rate_limited', expect.any(String)] });
      expect(limited.headers.get('ratelimit-rule')).toBe(`${RATE_LIMIT}reqs/60s`);
      const reset = Number(limited.headers.get('ratelimit-reset'));
      const now = Date.now() / 1000;
      expect(reset).toBeGreaterThan(now);
      expect(reset).toBeLessThanOrEqual(now + 61);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await b.get('/api/v1/token', token)).status).toBe(429);

      // Another subject, or another credentials name of the app, has a bucket of its own.
      const other = tokens(hub).organization(`org-limit-other-${run}`).mint();
      expect((await b.get('/api/v1/token', other)).status).toBe(200);
      const otherApp = subject.audience('warehouse/cred').mint();
      expect((await a.get('/api/v1/token', otherApp)).status).toBe(200);
      // Public routes are never limited.
      expect((await a.get('/health/live')).status).toBe(200);
    });

    it('keeps serving valid tokens, and refusing known revoked ones, when Redis dies', async () => {
      const redis = await startRedis(plan.redisServer!);
      owned.push(redis);
      const config = { ...fleetConfig(), redisUrl: redis.url, redisKeyPrefix: `outage-${run}:` };
      const [c, d] = await Promise.all([instance(config), instance(config)]);
      const revokedJti = `outage-revoked-${run}`;
      const revoked = tokens(hub).organization(`org-outage-${run}`).jti(revokedJti).mint();
      expect(await postWebhook(c, revocationEvent(revokedJti))).toBe(200);
      await within(1_000, async () => (await d.get('/api/v1/token', revoked)).status === 401);

      await redis.kill();

      const valid = tokens(hub)
        .organization(`org-outage-${run}`)
        .scopes('warehouse.items.rw')
        .mint();
      const statuses: number[] = [];
      for (let i = 0; i < 2 * RATE_LIMIT; i += 1) {
        const app = i % 2 === 0 ? c : d;
        statuses.push((await app.get('/api/v1/token', valid)).status);
        statuses.push((await app.send('POST', '/api/v1/items', anItem(), valid)).status);
      }
      // Rate limiting is open without Redis: no 429 either, and certainly no 5xx.
      expect(new Set(statuses)).toEqual(new Set([200, 201]));
      for (const app of [c, d]) {
        expect((await app.get('/api/v1/token', revoked)).status).toBe(401);
        const health = await app.get('/health');
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({
          degraded: ['redis'],
          redis: { status: 'down' },
        });
      }
      // A revocation arriving during the outage is enforced at once by the instance receiving it.
      const lateJti = `outage-late-${run}`;
      expect(await postWebhook(c, revocationEvent(lateJti))).toBe(200);
      const late = tokens(hub).organization(`org-outage-${run}`).jti(lateJti).mint();
      expect((await c.get('/api/v1/token', late)).status).toBe(401);

      const metrics = await (await c.get('/metrics')).text();
      expect(metrics).toMatch(/^rate_limit_fail_open_total [1-9]/m);
      expect(metrics).toMatch(/^redis_up 0/m);

      // Redis comes back (empty: it had no persistence): the pending revocation is shared again.
      const back = await startRedis(plan.redisServer!, redis.port);
      owned.push(back);
      await within(10_000, async () => (await d.get('/api/v1/token', late)).status === 401);
    }, 40_000);
  });
}
