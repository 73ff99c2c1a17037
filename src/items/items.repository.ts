import { Inject, Injectable } from '@nestjs/common';
import { CompiledQuery, Kysely, sql } from 'kysely';
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
  // The list route's two statements never change, only their parameters: built and compiled
  // once instead of per request (Kysely's builder and compiler, BENCHMARKS.md).
  private listStatement?: CompiledQuery<ItemRow>;
  private countStatement?: CompiledQuery<{ count: string | number | bigint }>;

  constructor(@Inject(DATABASE) private readonly db: Kysely<Database>) {}

  /** The same statements inside a transaction (the change and its outbox event commit together). */
  in(trx: Kysely<Database>): ItemsRepository {
    return new ItemsRepository(trx);
  }

  async list(organizationId: string, limit: number, offset: number): Promise<ItemRow[]> {
    this.listStatement ??= fixedStatement(
      this.db
        .selectFrom('items')
        .selectAll()
        .where('organization_id', '=', '')
        .orderBy('created_at')
        .orderBy('id')
        .limit(0)
        .offset(0)
        .compile(),
      3,
    );
    const query = withParameters(this.listStatement, [organizationId, limit, offset]);
    return (await this.db.executeQuery(query)).rows;
  }

  async count(organizationId: string): Promise<number> {
    this.countStatement ??= fixedStatement(
      this.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('organization_id', '=', '')
        .compile(),
      1,
    );
    const query = withParameters(this.countStatement, [organizationId]);
    const [{ count }] = (await this.db.executeQuery(query)).rows;
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

/** A compiled statement whose parameters are replaced per call; refuses a shape it did not expect. */
function fixedStatement<R>(query: CompiledQuery<R>, parameters: number): CompiledQuery<R> {
  if (query.parameters.length !== parameters) {
    throw new Error(`expected ${parameters} parameters in ${query.sql}`);
  }
  return query;
}

function withParameters<R>(query: CompiledQuery<R>, parameters: unknown[]): CompiledQuery<R> {
  return { ...query, parameters };
}
