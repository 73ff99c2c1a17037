/** Helpers for the events-out e2e specs: a stand-in Loom that knows the app, and item changes. */
import { testEventsConfig } from '../../src/config/testing';
import type { EventsConfig } from '../../src/config';
import { LoomEvent, StandInLoom } from '../../src/loom-standin';

export const EVENT_PASSWORD = 'e2e-event-password';

export function startLoom(): Promise<StandInLoom> {
  return StandInLoom.start({ apps: { warehouse: EVENT_PASSWORD } });
}

/** Events on, posted to `loom` with fast retries. */
export function eventsTo(loom: StandInLoom, overrides: Partial<EventsConfig> = {}): EventsConfig {
  return testEventsConfig({ loomUrl: loom.url, password: EVENT_PASSWORD, ...overrides });
}

/** What Loom received for one organization, in arrival order. */
export function eventsFor(loom: StandInLoom, organizationId: string): LoomEvent[] {
  return loom.events
    .map((received) => received.event)
    .filter((event) => event.subject === `Org/${organizationId}`);
}

/** The part of a test app that changes items. */
export interface ItemWriter {
  send(method: string, path: string, body: unknown, token?: string): Promise<Response>;
}

/** Changes items on a server at `url` (one in a child process, say). */
export function httpWriter(url: string): ItemWriter {
  return {
    send: (method, path, body, token) =>
      fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

/** An event a change must produce: its name and the item it is about. */
export interface ExpectedEvent {
  readonly name: string;
  readonly itemId: string;
}

/**
 * Makes `count` changes for the token's organization, one after another, cycling create, update,
 * delete and taking the writers in turn; returns the events they must produce in commit order.
 */
export async function makeChanges(
  writers: readonly ItemWriter[],
  token: string,
  count: number,
): Promise<ExpectedEvent[]> {
  const expected: ExpectedEvent[] = [];
  let itemId = '';
  for (let i = 0; i < count; i += 1) {
    const writer = writers[i % writers.length];
    const step = i % 3;
    const response =
      step === 0
        ? await writer.send(
            'POST',
            '/api/v1/items',
            { sku: `S-${i}`, name: 'n', quantity: 1, unit: 'kg' },
            token,
          )
        : await writer.send(
            step === 1 ? 'PATCH' : 'DELETE',
            `/api/v1/items/${itemId}`,
            step === 1 ? { quantity: i } : undefined,
            token,
          );
    if (response.status >= 300) throw new Error(`change ${i} answered ${response.status}`);
    if (step === 0) itemId = ((await response.json()) as { id: string }).id;
    else await response.arrayBuffer();
    const kind = ['item_created', 'item_updated', 'item_deleted'][step];
    expected.push({ name: `warehouse.${kind}`, itemId });
  }
  return expected;
}

/** The received events of an organization as (name, item) pairs, to compare with makeChanges. */
export function receivedFor(loom: StandInLoom, organizationId: string): ExpectedEvent[] {
  return eventsFor(loom, organizationId).map((event) => ({
    name: event.name,
    itemId: String(event.payload?.id),
  }));
}
