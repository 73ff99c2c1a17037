import type { NewOutboxRow } from '../database';

/** What an item event says; the outbox adds id and timestamp when the change commits. */
export type OutboxEvent = Omit<NewOutboxRow, 'id'>;

export type ItemEventKind = 'item_created' | 'item_updated' | 'item_deleted';

/** Loom refuses payloads of 256 bytes of JSON or more. */
export const PAYLOAD_LIMIT_BYTES = 256;

export interface ItemEventSource {
  readonly appName: string;
  /** Base URL of this API; links read `<publicUrl>/api/v1/items/<id>`. */
  readonly publicUrl: string;
}

export interface ChangedItem {
  readonly id: string;
  readonly organization_id: string;
  readonly sku: string;
}

/**
 * The payload holds no personal data, only what identifies the item (`id`, `sku`) and, for
 * updates, which fields the request wrote (`changed_fields`); consumers fetch the rest via `link`.
 */
export function itemEvent(
  source: ItemEventSource,
  kind: ItemEventKind,
  item: ChangedItem,
  changedFields: readonly string[] = [],
): OutboxEvent {
  const fields = kind === 'item_updated' ? { changed_fields: [...changedFields].sort() } : {};
  return {
    organization_id: item.organization_id,
    name: `${source.appName}.${kind}`,
    subject: `Org/${item.organization_id}`,
    payload: fittedPayload({ id: item.id, sku: item.sku, ...fields }),
    link: kind === 'item_deleted' ? null : `${source.publicUrl}/api/v1/items/${item.id}`,
  };
}

interface ItemPayload {
  readonly id: string;
  readonly sku: string;
  readonly changed_fields?: readonly string[];
  readonly sku_truncated?: true;
}

const bytes = (payload: ItemPayload): number => Buffer.byteLength(JSON.stringify(payload));

/**
 * Trimming rule: only `sku` can make a payload too large (64 characters that JSON may escape to
 * six bytes each). While the JSON is 256 bytes or more, the sku loses characters from its end
 * (whole code points) and the payload says `"sku_truncated": true`; `id` and `changed_fields` are
 * never cut, so a consumer always knows which item to fetch.
 */
export function fittedPayload(payload: ItemPayload): string {
  if (bytes(payload) < PAYLOAD_LIMIT_BYTES) return JSON.stringify(payload);
  const characters = [...payload.sku];
  let trimmed: ItemPayload = { ...payload, sku_truncated: true };
  while (characters.length > 0 && bytes(trimmed) >= PAYLOAD_LIMIT_BYTES) {
    characters.pop();
    trimmed = { ...trimmed, sku: characters.join('') };
  }
  return JSON.stringify(trimmed);
}
