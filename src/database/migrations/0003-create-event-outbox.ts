import { Kysely, sql } from 'kysely';

/**
 * The transactional outbox: one row per event, written in the transaction of the change it
 * announces. `seq` orders an organization's events by commit (writers serialise per organization,
 * see EventOutbox); `id` is the event's id on Loom, fixed at commit so that a re-send is recognised.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('event_outbox')
    .addColumn('seq', 'bigserial', (col) => col.primaryKey())
    .addColumn('id', 'uuid', (col) =>
      col
        .notNull()
        .unique()
        .defaultTo(sql`gen_random_uuid()`),
    )
    .addColumn('organization_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    // The JSON text exactly as it is sent: its byte size was checked against Loom's cap.
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('link', 'text')
    .addColumn('occurred_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'delivered', 'dead')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .execute();

  // The dispatcher's scan: each organization's oldest pending event first.
  await db.schema
    .createIndex('event_outbox_pending_idx')
    .on('event_outbox')
    .columns(['organization_id', 'seq'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  // Pruning delivered rows after the retention period.
  await db.schema
    .createIndex('event_outbox_delivered_at_idx')
    .on('event_outbox')
    .column('delivered_at')
    .where(sql.ref('status'), '=', 'delivered')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('event_outbox').execute();
}
