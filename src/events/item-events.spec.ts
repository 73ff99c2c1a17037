// Covers what an item event carries and the trimming rule that keeps payloads under Loom's cap.
import fc from 'fast-check';
import { fittedPayload, itemEvent, PAYLOAD_LIMIT_BYTES } from './item-events';

const source = { appName: 'warehouse', publicUrl: 'https://api.example.test' };
const item = {
  id: '5b1c7a2e-3d4f-4a5b-9c6d-7e8f9a0b1c2d',
  organization_id: 'org-1',
  sku: 'PAPER-A4',
};

describe('itemEvent', () => {
  it('names the event after the app, addresses the organization and links to the item', () => {
    expect(itemEvent(source, 'item_created', item)).toEqual({
      organization_id: 'org-1',
      name: 'warehouse.item_created',
      subject: 'Org/org-1',
      payload: JSON.stringify({ id: item.id, sku: 'PAPER-A4' }),
      link: `https://api.example.test/api/v1/items/${item.id}`,
    });
  });

  it('lists the written fields of an update, sorted', () => {
    const event = itemEvent(source, 'item_updated', item, ['quantity', 'name']);
    expect(JSON.parse(event.payload)).toEqual({
      id: item.id,
      sku: 'PAPER-A4',
      changed_fields: ['name', 'quantity'],
    });
  });

  it('has no link for a deletion', () => {
    expect(itemEvent(source, 'item_deleted', item).link).toBeNull();
  });
});

describe('fittedPayload', () => {
  it('leaves a payload under the cap unchanged', () => {
    expect(fittedPayload({ id: item.id, sku: 'A' })).toBe(`{"id":"${item.id}","sku":"A"}`);
  });

  it('trims the sku from its end and says so when escaping pushes the JSON over the cap', () => {
    const sku = '\u0001'.repeat(64); // each escapes to six bytes: 384 bytes of sku alone
    const fitted = JSON.parse(fittedPayload({ id: item.id, sku })) as Record<string, unknown>;
    expect(fitted.id).toBe(item.id);
    expect(fitted.sku_truncated).toBe(true);
    expect(sku.startsWith(fitted.sku as string)).toBe(true);
    expect((fitted.sku as string).length).toBeLessThan(64);
  });

  it('keeps every payload under 256 bytes and every field but a trimmed sku intact', () => {
    const fields = fc.subarray(['name', 'quantity', 'sku', 'unit']);
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }),
        fields,
        (sku, changed) => {
          const text = fittedPayload({ id: item.id, sku, changed_fields: changed });
          const fitted = JSON.parse(text) as { sku: string; changed_fields: string[] };
          expect(Buffer.byteLength(text)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
          expect(fitted.changed_fields).toEqual(changed);
          expect(sku.startsWith(fitted.sku)).toBe(true);
        },
      ),
    );
  });
});
