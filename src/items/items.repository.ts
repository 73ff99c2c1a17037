import { Inject, Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { Database, DATABASE, ItemRow } from '../database';
import { ItemChanges, ItemInput } from './item';
import { Tenant } from './tenant';

/** Name of the UNIQUE (organization_id, sku) constraint, as created by migration 0001. */
export const ITEMS_SKU_UNIQUE = 'items_organization_id_sku_key';

// Only canonical UUIDs reach SQL: anything else cannot be an item id, and PostgreSQL would answer
// it with an "invalid input syntax for type uuid" error instead of "no such row".
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * All item SQL. Every statement filters by organization_id in the statement itself, so another
 * tenant's item is indistinguishable from a missing one. Database errors pass through unchanged.
 */
@Injectable()
export class ItemsRepository {
  constructor(@Inject(DATABASE) private readonly db: Kysely<Database>) {}

  /** The same statements inside a transaction (the change and its outbox event commit together). */
  in(trx: Kysely<Database>): ItemsRepository {
    return new ItemsRepository(trx);
  }

  list(organizationId: string, limit: number, offset: number): Promise<ItemRow[]> {
    return this.db
      .selectFrom('items')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  async count(organizationId: string): Promise<number> {
    const { count } = await this.db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('organization_id', '=', organizationId)
      .executeTakeFirstOrThrow();
    // pg returns bigint counts as strings, PGlite as numbers.
    return Number(count);
  }

  async findById(organizationId: string, id: string): Promise<ItemRow | undefined> {
    if (!UUID.test(id)) return undefined;
    return this.db
      .selectFrom('items')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  insert(tenant: Tenant, input: ItemInput): Promise<ItemRow> {
    const { organizationId, actor } = tenant;
    return this.db
      .insertInto('items')
      .values({
        organization_id: organizationId,
        sku: input.sku,
        name: input.name,
        quantity: input.quantity,
        unit: input.unit,
        created_by_type: actor.type,
        created_by_id: actor.id,
        updated_by_type: actor.type,
        updated_by_id: actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Applies the given changes and stamps updated_*; undefined when there is no such item. */
  async update(tenant: Tenant, id: string, changes: ItemChanges): Promise<ItemRow | undefined> {
    if (!UUID.test(id)) return undefined;
    return this.db
      .updateTable('items')
      .set({
        ...changes,
        updated_at: sql<Date>`now()`,
        updated_by_type: tenant.actor.type,
        updated_by_id: tenant.actor.id,
      })
      .where('organization_id', '=', tenant.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  /** The deleted item's identity (what its event names), or undefined when there was none. */
  async delete(
    organizationId: string,
    id: string,
  ): Promise<Pick<ItemRow, 'id' | 'organization_id' | 'sku'> | undefined> {
    if (!UUID.test(id)) return undefined;
    return this.db
      .deleteFrom('items')
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .returning(['id', 'organization_id', 'sku'])
      .executeTakeFirst();
  }
}
