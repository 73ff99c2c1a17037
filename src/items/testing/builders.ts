import { ItemInput } from '../item';
import { Tenant } from '../tenant';

let sequence = 0;

/** A valid item input with a fresh SKU each call; pass only what a test cares about. */
export function anItemInput(overrides: Partial<ItemInput> = {}): ItemInput {
  sequence += 1;
  return {
    sku: `SKU-${sequence}`,
    name: `Test item ${sequence}`,
    quantity: 10,
    unit: 'sheets',
    ...overrides,
  };
}

/** A tenant acting as the organization itself, or as a person on its behalf. */
export function aTenant(organizationId: string, personId?: string): Tenant {
  return {
    organizationId,
    actor: personId
      ? { type: 'Person', id: personId }
      : { type: 'Organization', id: organizationId },
  };
}
