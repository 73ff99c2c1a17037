// Events out through Loom, end to end: the real app against a stand-in hub and a stand-in Loom
// over HTTP, on the embedded database and on real PostgreSQL (two instances sharing the outbox).
// Each route's event with its exact fields; no event for a refused or rolled-back change; a Loom
// outage survived in order; dead letters; a re-send Loom already holds counted as delivered.
import { randomUUID } from 'node:crypto';
import { Kysely, sql } from 'kysely';
import { Database, DATABASE } from '../src/database';
import { StandInHub } from '../src/hub';
import { StandInLoom } from '../src/loom-standin';
import { eventually } from '../src/testing/eventually';
import { startApp, TestApp, WEBHOOK_SECRET } from './support/app';
import { anItem } from './support/items';
import { eventsFor, eventsTo, makeChanges, receivedFor, startLoom } from './support/outbox';
import { freshDatabase, RunningServer, serverPlan } from './support/servers';
import { tokens } from './support/tokens';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PUBLIC_URL = 'https://warehouse.example.test';

const outboxOf = (server: TestApp) => server.app.get<symbol, Kysely<Database>>(DATABASE);

function writeToken(hub: StandInHub, organizationId: string): string {
  return tokens(hub).organization(organizationId).scopes('warehouse.items.rw').mint();
}

/**
 * Loom answers 500 while `changes` changes for each of `orgCount` organizations go through
 * `servers`; once it recovers, every event arrives, once, in commit order per organization.
 */
async function survivesOutage(
  hub: StandInHub,
  loom: StandInLoom,
  servers: TestApp[],
  orgCount: number,
  changes: number,
) {
  const run = randomUUID().slice(0, 8);
  const organizations = Array.from({ length: orgCount }, (_, i) => `org-outage-${i}-${run}`);
  loom.setFault({ type: 'status', status: 500 });
  const expected = await Promise.all(
    organizations.map((org) => makeChanges(servers, writeToken(hub, org), changes)),
  );
  await eventually(
    () => loom.answers.filter((answer) => answer.status === 500).length >= 6,
    10_000,
    'Loom refusing retries',
  );
  expect(organizations.flatMap((org) => eventsFor(loom, org))).toEqual([]);
  loom.setFault(null);
  await eventually(
    () => organizations.every((org, i) => eventsFor(loom, org).length >= expected[i].length),
    30_000,
    'every event delivered after the outage',
  );
  organizations.forEach((org, i) => expect(receivedFor(loom, org)).toEqual(expected[i]));
  const ids = organizations.flatMap((org) => eventsFor(loom, org).map((event) => event.id));
  expect(new Set(ids).size).toBe(ids.length);
  // Each row is marked delivered once Loom's answer is back: a moment after Loom has the event.
  const undelivered = () =>
    outboxOf(servers[0])
      .selectFrom('event_outbox')
      .select('status')
      .where('organization_id', 'in', organizations)
      .where('status', '<>', 'delivered')
      .execute();
  await eventually(async () => (await undelivered()).length === 0, 5_000, 'rows marked delivered');
}

describe('events out through Loom (e2e, embedded database)', () => {
  let hub: StandInHub;
  let loom: StandInLoom;
  let server: TestApp;

  beforeAll(async () => {
    hub = await StandInHub.start();
    loom = await startLoom();
    server = await startApp(hub, { config: { events: eventsTo(loom, { publicUrl: PUBLIC_URL }) } });
    // The app is also a subscriber: Loom forwards every event, signed, to its webhook.
    loom.subscribe({ url: `${server.url}/webhooks/zaikio`, secret: WEBHOOK_SECRET });
  });

  afterAll(async () => {
    await server?.close();
    await loom?.stop();
    await hub?.stop();
  });

  it("announces each route's change with the event's exact fields", async () => {
    const org = `org-fields-${randomUUID().slice(0, 8)}`;
    const token = writeToken(hub, org);
    const created = await server.send('POST', '/api/v1/items', anItem({ sku: 'A4-80' }), token);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(
      (await server.send('PATCH', `/api/v1/items/${id}`, { name: 'Renamed', quantity: 3 }, token))
        .status,
    ).toBe(200);
    expect((await server.send('DELETE', `/api/v1/items/${id}`, undefined, token)).status).toBe(204);

    await eventually(() => eventsFor(loom, org).length === 3, 5_000, 'three events');
    const link = `${PUBLIC_URL}/api/v1/items/${id}`;
    const common = { id: expect.stringMatching(UUID), subject: `Org/${org}`, version: '1.0' };
    const events = eventsFor(loom, org);
    expect(events).toEqual([
      {
        ...common,
        name: 'warehouse.item_created',
        timestamp: expect.any(String),
        payload: { id, sku: 'A4-80' },
        link,
      },
      {
        ...common,
        name: 'warehouse.item_updated',
        timestamp: expect.any(String),
        payload: { id, sku: 'A4-80', changed_fields: ['name', 'quantity'] },
        link,
      },
      {
        ...common,
        name: 'warehouse.item_deleted',
        timestamp: expect.any(String),
        payload: { id, sku: 'A4-80' },
      },
    ]);
    expect(new Set(events.map((event) => event.id)).size).toBe(3);
    for (const { timestamp } of events) {
      expect(new Date(timestamp!).toISOString()).toBe(timestamp);
      expect(Math.abs(Date.parse(timestamp!) - Date.now())).toBeLessThan(60_000);
    }
    // Forwarded by Loom and accepted by the app's own webhook: one server can subscribe another.
    await eventually(
      () =>
        events.every((event) =>
          loom.forwards.some((f) => f.eventId === event.id && f.status === 200),
        ),
      5_000,
      'the forwards',
    );
  });

  it('announces nothing for a refused or rolled-back change', async () => {
    const org = `org-refused-${randomUUID().slice(0, 8)}`;
    const token = writeToken(hub, org);
    const marker = await server.send('POST', '/api/v1/items', anItem({ sku: 'TAKEN' }), token);
    const { id } = (await marker.json()) as { id: string };
    expect((await server.send('POST', '/api/v1/items', { sku: '' }, token)).status).toBe(422);
    expect(
      (await server.send('POST', '/api/v1/items', anItem({ sku: 'TAKEN' }), token)).status,
    ).toBe(422);
    expect(
      (await server.send('PATCH', `/api/v1/items/${id}`, { quantity: -1 }, token)).status,
    ).toBe(422);
    expect(
      (await server.send('PATCH', `/api/v1/items/${randomUUID()}`, { quantity: 1 }, token)).status,
    ).toBe(404);
    expect(
      (await server.send('DELETE', `/api/v1/items/${randomUUID()}`, undefined, token)).status,
    ).toBe(404);
    expect((await server.send('PATCH', `/api/v1/items/${id}`, {}, token)).status).toBe(200);

    // A change whose event cannot be written rolls back with it: the item is not created.
    const db = outboxOf(server);
    await sql`create function refuse_event() returns trigger language plpgsql as $$
      begin raise exception 'event refused'; end $$`.execute(db);
    await sql`create trigger refuse_event before insert on event_outbox for each row
      when (new.payload like '%ROLLED-BACK%') execute function refuse_event()`.execute(db);
    try {
      const failed = await server.send(
        'POST',
        '/api/v1/items',
        anItem({ sku: 'ROLLED-BACK' }),
        token,
      );
      expect(failed.status).toBe(500);
    } finally {
      await sql`drop trigger refuse_event on event_outbox`.execute(db);
      await sql`drop function refuse_event`.execute(db);
    }
    const list = (await (await server.get('/api/v1/items', token)).json()) as { sku: string }[];
    expect(list.map((item) => item.sku)).toEqual(['TAKEN']);

    // The marker's own event is the only one, after everything above was answered.
    const last = await server.send('DELETE', `/api/v1/items/${id}`, undefined, token);
    expect(last.status).toBe(204);
    await eventually(() => eventsFor(loom, org).length === 2, 5_000, 'the marker events');
    expect(eventsFor(loom, org).map((event) => event.name)).toEqual([
      'warehouse.item_created',
      'warehouse.item_deleted',
    ]);
  });

  it('delivers everything in order per organization once a failing Loom recovers', async () => {
    await survivesOutage(hub, loom, [server], 3, 9);
  });

  it('keeps a dead letter with its error for an answer retrying cannot fix, and moves on', async () => {
    const org = `org-dead-${randomUUID().slice(0, 8)}`;
    const token = writeToken(hub, org);
    const refusal = JSON.stringify({ errors: { name: ['excludes a valid event name'] } });
    loom.setFault({ type: 'status', status: 422, body: refusal }, 1);
    const [refused, next] = await makeChanges([server], token, 2);
    await eventually(() => eventsFor(loom, org).length === 1, 5_000, 'the next event');
    expect(receivedFor(loom, org)).toEqual([next]);
    const outboxRows = () =>
      outboxOf(server)
        .selectFrom('event_outbox')
        .select(['name', 'status', 'attempts', 'last_error'])
        .where('organization_id', '=', org)
        .orderBy('seq')
        .execute();
    // Loom has the event before the dispatcher has marked its row delivered.
    await eventually(
      async () => (await outboxRows()).every((row) => row.status !== 'pending'),
      5_000,
      'both rows settled',
    );
    expect(await outboxRows()).toEqual([
      { name: refused.name, status: 'dead', attempts: 1, last_error: `HTTP 422: ${refusal}` },
      { name: next.name, status: 'delivered', attempts: 1, last_error: null },
    ]);
  });

  it('reports a stale outbox as degraded in GET /health and its figures in /metrics', async () => {
    const org = `org-stale-${randomUUID().slice(0, 8)}`;
    loom.setFault({ type: 'status', status: 503 });
    try {
      await makeChanges([server], writeToken(hub, org), 1);
      await eventually(() => loom.answers.some((a) => a.status === 503), 5_000, 'a failed try');
      // As if Loom had been failing for ten minutes.
      await sql`update event_outbox set occurred_at = now() - interval '10 minutes'
                 where organization_id = ${org}`.execute(outboxOf(server));
      let health: Record<string, unknown> = {};
      await eventually(
        async () => {
          const response = await server.get('/health');
          health = (await response.json()) as Record<string, unknown>;
          return response.status === 200 && (health.degraded as string[]).includes('outbox');
        },
        5_000,
        'the outbox reported stale',
      );
      expect(health.outbox).toEqual({
        status: 'stale',
        pending: expect.any(Number),
        dead: expect.any(Number),
        oldest_pending_seconds: expect.any(Number),
        stale_after_seconds: 300,
      });
      expect(
        (health.outbox as { oldest_pending_seconds: number }).oldest_pending_seconds,
      ).toBeGreaterThanOrEqual(600);
      const metrics = await (await server.get('/metrics')).text();
      expect(metrics).toMatch(/^events_outbox_pending [1-9]/m);
      expect(metrics).toMatch(
        /^events_outbox_oldest_pending_age_seconds (6\d\d|[7-9]\d\d|\d{4,})/m,
      );
      expect(metrics).toMatch(/^events_outbox_dead_letters \d+/m);
      expect(metrics).toMatch(/^events_deliveries_total\{result="retry"\} [1-9]/m);
      expect(metrics).toMatch(/^events_deliveries_total\{result="delivered"\} [1-9]/m);
    } finally {
      loom.setFault(null);
    }
    await eventually(
      async () => {
        const body = (await (await server.get('/health')).json()) as { degraded: string[] };
        return !body.degraded.includes('outbox');
      },
      5_000,
      'the outbox caught up',
    );
  });

  it('counts an event Loom already holds as delivered when its answer was lost', async () => {
    const org = `org-lost-${randomUUID().slice(0, 8)}`;
    loom.setFault({ type: 'lose-answer' }, 1);
    await makeChanges([server], writeToken(hub, org), 1);
    const db = outboxOf(server);
    const status = async () =>
      (
        await db
          .selectFrom('event_outbox')
          .select('status')
          .where('organization_id', '=', org)
          .executeTakeFirstOrThrow()
      ).status;
    await eventually(async () => (await status()) === 'delivered', 5_000, 'delivered');
    const [event] = eventsFor(loom, org);
    expect(eventsFor(loom, org)).toHaveLength(1);
    expect(
      loom.answers.filter((answer) => answer.eventId === event.id).map((answer) => answer.status),
    ).toEqual(['reset', 422]);
  });
});

const plan = serverPlan();
const noPostgres = plan.databaseUrl === null && plan.postgresBin === null;
if (noPostgres && process.env.CI === 'true') {
  throw new Error(
    'The outbox PostgreSQL e2e needs TEST_DATABASE_URL or PostgreSQL binaries under CI',
  );
}
if (noPostgres) {
  console.warn(
    '\n!!! SKIPPING the outbox e2e on PostgreSQL: no TEST_DATABASE_URL, no PostgreSQL.\n',
  );
}

(noPostgres ? describe.skip : describe)(
  'events out through Loom (e2e, PostgreSQL, two instances)',
  () => {
    const run = randomUUID().slice(0, 8);
    const owned: RunningServer[] = [];
    let dropDatabase: (() => Promise<void>) | undefined;
    let hub: StandInHub;
    let loom: StandInLoom;
    let servers: TestApp[] = [];

    beforeAll(async () => {
      const database = await freshDatabase(plan, `warehouse_outbox_${run}`, owned);
      dropDatabase = database.drop;
      hub = await StandInHub.start();
      loom = await startLoom();
      const config = { databaseUrl: database.url, events: eventsTo(loom) };
      servers = await Promise.all([startApp(hub, { config }), startApp(hub, { config })]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(servers.map((server) => server.close()));
      await loom?.stop();
      await hub?.stop();
      await dropDatabase?.();
      await Promise.all(owned.map((server) => server.stop()));
    }, 60_000);

    it('delivers 500 changes made through both instances, once each and in order, after an outage', async () => {
      await survivesOutage(hub, loom, servers, 5, 100);
      // Both up the whole time: no event was sent twice (Loom never saw a repeated id).
      expect(loom.answers.filter((answer) => answer.status === 422)).toEqual([]);
    });
  },
);
