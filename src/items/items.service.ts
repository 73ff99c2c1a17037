import { Injectable } from '@nestjs/common';
import { NotFoundError, ValidationFailedError } from '../common/domain-errors';
import { isUniqueViolation, ItemRow } from '../database';
import { EventOutbox } from '../events';
import { ItemChanges, ItemInput } from './item';
import { ITEMS_SKU_UNIQUE, ItemsRepository } from './items.repository';
import { Tenant } from './tenant';

export interface ItemPage {
  readonly items: ItemRow[];
  readonly totalCount: number;
}

/**
 * Item use cases for one tenant. Throws domain errors; knows nothing about HTTP. Every write
 * commits together with its event in the outbox; a refused or failed write leaves none.
 */
@Injectable()
export class ItemsService {
  constructor(
    private readonly repository: ItemsRepository,
    private readonly outbox: EventOutbox,
  ) {}

  /** `page` starts at 1. */
  async list(tenant: Tenant, page: number, perPage: number): Promise<ItemPage> {
    const [items, totalCount] = await Promise.all([
      this.repository.list(tenant.organizationId, perPage, (page - 1) * perPage),
      this.repository.count(tenant.organizationId),
    ]);
    return { items, totalCount };
  }

  async get(tenant: Tenant, id: string): Promise<ItemRow> {
    return found(await this.repository.findById(tenant.organizationId, id));
  }

  async create(tenant: Tenant, input: ItemInput): Promise<ItemRow> {
    return this.rejectingDuplicateSku(() =>
      this.outbox.transaction(async (trx) => {
        const item = await this.repository.in(trx).insert(tenant, input);
        return { result: item, event: this.outbox.itemEvent('item_created', item) };
      }),
    );
  }

  /**
   * Partial update. A request without any field is a read: updated_at/updated_by stay as they
   * were, so "touching" an item without changing it leaves no false trail. Any given field counts
   * as a write, even if its value is unchanged.
   */
  async update(tenant: Tenant, id: string, changes: ItemChanges): Promise<ItemRow> {
    const given = definedOnly(changes);
    if (Object.keys(given).length === 0) return this.get(tenant, id);
    const updated = await this.rejectingDuplicateSku(() =>
      this.outbox.transaction(async (trx) => {
        const item = await this.repository.in(trx).update(tenant, id, given);
        const event = item && this.outbox.itemEvent('item_updated', item, Object.keys(given));
        return { result: item, event: event ?? null };
      }),
    );
    return found(updated);
  }

  async remove(tenant: Tenant, id: string): Promise<void> {
    const deleted = await this.outbox.transaction(async (trx) => {
      const item = await this.repository.in(trx).delete(tenant.organizationId, id);
      return { result: item, event: item ? this.outbox.itemEvent('item_deleted', item) : null };
    });
    if (!deleted) throw new NotFoundError('item');
  }

  /** Relies on the UNIQUE constraint rather than a prior lookup, so concurrent writes are safe. */
  private async rejectingDuplicateSku<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, ITEMS_SKU_UNIQUE)) {
        throw new ValidationFailedError({ sku: ['has already been taken'] });
      }
      throw error;
    }
  }
}

function found(item: ItemRow | undefined): ItemRow {
  if (!item) throw new NotFoundError('item');
  return item;
}

/**
 * Copies only the known fields (whatever else the object carries never reaches SQL) and drops
 * undefined ones: validated DTOs carry declared-but-absent fields as undefined.
 */
function definedOnly({ sku, name, quantity, unit }: ItemChanges): ItemChanges {
  return {
    ...(sku !== undefined && { sku }),
    ...(name !== undefined && { name }),
    ...(quantity !== undefined && { quantity }),
    ...(unit !== undefined && { unit }),
  };
}
