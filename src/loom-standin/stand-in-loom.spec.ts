// Covers the stand-in Loom over real HTTP: what it accepts and refuses as Loom does, its faults,
// and the signed forwarding to subscribers (checked with our own webhook's verifier).
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { eventually } from '../testing/eventually';
import { loomSignatureValid } from '../zaikio/webhook/loom-signature';
import { StandInLoom } from './stand-in-loom';

const PASSWORD = 'event-secret';
const basic = (app: string, password: string) =>
  `Basic ${Buffer.from(`${app}:${password}`).toString('base64')}`;

function anEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    name: 'warehouse.item_created',
    subject: 'Org/3a242896-fa57-41ba-997e-8c212d7157f3',
    timestamp: '2026-12-03T12:00:00.000Z',
    version: '1.0',
    payload: { id: 'i-1', sku: 'A4' },
    link: 'https://api.example.test/api/v1/items/i-1',
    ...overrides,
  };
}

describe('StandInLoom', () => {
  let loom: StandInLoom;

  const post = (body: unknown, authorization = basic('warehouse', PASSWORD)) =>
    fetch(`${loom.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeEach(async () => {
    loom = await StandInLoom.start({
      apps: { warehouse: PASSWORD, other_app: 'other' },
      forwardRetryMs: 10,
    });
  });

  afterEach(() => loom.stop());

  it('accepts an event posted as zaikio-loom posts it and records it', async () => {
    const event = anEvent();
    const response = await post({ event });
    expect(response.status).toBe(200);
    expect(loom.events).toEqual([{ app: 'warehouse', event, receivedAt: expect.any(String) }]);
  });

  it.each([
    ['no credentials', ''],
    ['a wrong password', basic('warehouse', 'guess')],
    ['an unknown app', basic('nobody', PASSWORD)],
    ['a bearer token', 'Bearer abc'],
  ])('answers 401 to %s and records nothing', async (_case, authorization) => {
    const response = await post({ event: anEvent() }, authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Loom"');
    expect(loom.events).toEqual([]);
  });

  it.each([
    ['no event wrapper', anEvent(), 'event'],
    ['no id', { event: anEvent({ id: undefined }) }, 'id'],
    ['an id that is no UUID', { event: anEvent({ id: 'event-1' }) }, 'id'],
    ['another app’s name', { event: anEvent({ name: 'other_app.item_created' }) }, 'name'],
    ['a name without event part', { event: anEvent({ name: 'warehouse.' }) }, 'name'],
    ['no subject', { event: anEvent({ subject: undefined }) }, 'subject'],
    ['a subject of another shape', { event: anEvent({ subject: 'Organization/1' }) }, 'subject'],
    ['a subject with a slash in its id', { event: anEvent({ subject: 'Org/1/2' }) }, 'subject'],
    [
      'a timestamp that is no ISO 8601',
      { event: anEvent({ timestamp: 'yesterday' }) },
      'timestamp',
    ],
    ['a payload that is a list', { event: anEvent({ payload: [1] }) }, 'payload'],
    ['a link that is no URL', { event: anEvent({ link: 'items/1' }) }, 'link'],
  ])('answers 422 naming the field to %s', async (_case, body, field) => {
    const response = await post(body);
    expect(response.status).toBe(422);
    const { errors } = (await response.json()) as { errors: Record<string, string[]> };
    expect(Object.keys(errors)).toEqual([field]);
    expect(loom.events).toEqual([]);
  });

  it('accepts a payload of 255 bytes of JSON and refuses one of 256', async () => {
    const sized = (bytes: number) => ({ pad: 'x'.repeat(bytes - '{"pad":""}'.length) });
    expect((await post({ event: anEvent({ payload: sized(255) }) })).status).toBe(200);
    const tooLarge = await post({ event: anEvent({ payload: sized(256) }) });
    expect(tooLarge.status).toBe(422);
    expect(await tooLarge.json()).toEqual({
      errors: { payload: ['is too large (256 bytes or more)'] },
    });
  });

  it('refuses a repeated id with 422 on id and keeps the first event only', async () => {
    const event = anEvent();
    expect((await post({ event })).status).toBe(200);
    const again = await post({ event: { ...event, payload: { id: 'changed' } } });
    expect(again.status).toBe(422);
    expect(await again.json()).toEqual({ errors: { id: ['has already been taken'] } });
    expect(loom.events.map((received) => received.event)).toEqual([event]);
  });

  it('accepts a person subject, and only the events an app registered when it says which', async () => {
    expect((await post({ event: anEvent({ subject: 'Per/bb23d602' }) })).status).toBe(200);
    const strict = await StandInLoom.start({
      apps: { warehouse: PASSWORD },
      registeredEvents: ['warehouse.item_created'],
    });
    try {
      const send = (name: string) =>
        fetch(`${strict.url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: basic('warehouse', PASSWORD) },
          body: JSON.stringify({ event: anEvent({ name }) }),
        });
      expect((await send('warehouse.item_created')).status).toBe(200);
      const unregistered = await send('warehouse.item_deleted');
      expect(unregistered.status).toBe(422);
      expect(await unregistered.json()).toEqual({
        errors: { name: ['excludes a valid event name'] },
      });
    } finally {
      await strict.stop();
    }
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await post('{"event":');
    expect(response.status).toBe(400);
  });

  it('fails on command the given number of times, recording nothing, then recovers', async () => {
    loom.setFault({ type: 'status', status: 500 }, 2);
    const event = anEvent();
    expect((await post({ event })).status).toBe(500);
    expect((await post({ event })).status).toBe(500);
    expect((await post({ event })).status).toBe(200);
    expect(loom.answers.map((answer) => answer.status)).toEqual([500, 500, 200]);
    expect(loom.events).toHaveLength(1);
  });

  it('answers 401 on command although the credentials are right', async () => {
    loom.setFault({ type: 'status', status: 401 });
    expect((await post({ event: anEvent() })).status).toBe(401);
    expect((await post({ event: anEvent() })).status).toBe(401);
    loom.setFault(null);
    expect((await post({ event: anEvent() })).status).toBe(200);
  });

  it('hangs on command until the sender gives up', async () => {
    loom.setFault({ type: 'hang' }, 1);
    const sent = fetch(`${loom.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: basic('warehouse', PASSWORD) },
      body: JSON.stringify({ event: anEvent() }),
      signal: AbortSignal.timeout(200),
    });
    await expect(sent).rejects.toThrow();
    expect(loom.events).toEqual([]);
  });

  it('can accept an event and lose the answer, so that the re-send is a repeated id', async () => {
    loom.setFault({ type: 'lose-answer' }, 1);
    const event = anEvent();
    await expect(post({ event })).rejects.toThrow();
    expect(loom.events).toHaveLength(1);
    expect((await post({ event })).status).toBe(422);
  });

  describe('forwarding', () => {
    let subscriber: Server;
    let subscriberUrl: string;
    const deliveries: { body: string; signature: string | undefined }[] = [];
    let failFirst = 0;

    beforeEach(async () => {
      deliveries.length = 0;
      failFirst = 0;
      subscriber = createServer((req: IncomingMessage, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const signature = req.headers['x-loom-signature'] as string | undefined;
          deliveries.push({ body: Buffer.concat(chunks).toString(), signature });
          res.statusCode = failFirst-- > 0 ? 503 : 200;
          res.end();
        });
      });
      await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
      subscriberUrl = `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/hook`;
    });

    afterEach(async () => {
      subscriber.closeAllConnections();
      await new Promise((resolve) => subscriber.close(resolve));
    });

    it('posts the flat event plus received_at, signed as Loom signs, to each webhook', async () => {
      loom.subscribe({ url: subscriberUrl, secret: 'hook-secret' });
      const event = anEvent();
      await post({ event });
      await eventually(() => deliveries.length === 1, 3_000, 'the forward');
      const [{ body, signature }] = deliveries;
      expect(JSON.parse(body)).toEqual({ ...event, received_at: loom.events[0].receivedAt });
      expect(loomSignatureValid('hook-secret', Buffer.from(body), signature)).toBe(true);
      expect(loomSignatureValid('other', Buffer.from(body), signature)).toBe(false);
    });

    it('retries a webhook that fails and forwards only the events it subscribed to', async () => {
      failFirst = 2;
      loom.subscribe({ url: subscriberUrl, secret: 's', events: ['warehouse.item_deleted'] });
      await post({ event: anEvent() });
      const deleted = anEvent({ name: 'warehouse.item_deleted' });
      await post({ event: deleted });
      await eventually(() => loom.forwards.some((f) => f.status === 200), 3_000, 'the retry');
      expect(loom.forwards.map(({ eventId, status }) => ({ eventId, status }))).toEqual([
        { eventId: deleted.id, status: 503 },
        { eventId: deleted.id, status: 503 },
        { eventId: deleted.id, status: 200 },
      ]);
    });

    it('is driven over its admin API: webhooks, faults and what it received', async () => {
      const admin = (method: string, path: string, body?: unknown) =>
        fetch(`${loom.url}/_standin/${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      expect((await admin('POST', 'webhooks', { url: subscriberUrl, secret: 's' })).status).toBe(
        201,
      );
      expect((await admin('POST', 'webhooks', { url: 'ftp://x', secret: 's' })).status).toBe(400);
      expect(
        (await admin('PUT', 'fault', { fault: { type: 'status', status: 503 }, times: 1 })).status,
      ).toBe(200);
      expect((await admin('PUT', 'fault', { fault: { type: 'status', status: 200 } })).status).toBe(
        400,
      );
      expect((await post({ event: anEvent() })).status).toBe(503);
      const event = anEvent();
      expect((await post({ event })).status).toBe(200);
      const { events } = (await (await admin('GET', 'events')).json()) as {
        events: { event: unknown }[];
      };
      expect(events.map((received) => received.event)).toEqual([event]);
      await eventually(() => deliveries.length === 1, 3_000, 'the forward');
    });
  });
});
