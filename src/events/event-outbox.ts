import { Inject, Injectable, Optional } from '@nestjs/common';
import { Kysely, sql, Transaction } from 'kysely';
import { APP_CONFIG, AppConfig } from '../config';
import { Database, DATABASE } from '../database';
import { itemEvent, ItemEventKind, ChangedItem, OutboxEvent } from './item-events';
import { OutboxSignal } from './outbox-signal';

/** Namespace of the per-organization advisory locks (the migrator's lock uses a bigint key). */
const OUTBOX_LOCK_NAMESPACE = 16_016;

/** What a change made inside EventOutbox.transaction returns: its result and its event, if any. */
export interface Outcome<T> {
  readonly result: T;
  readonly event: OutboxEvent | null;
}

/**
 * The write side of the transactional outbox: a change and its event commit together or not at
 * all. With EVENTS=off the change still runs in a transaction, and no event is written.
 */
@Injectable()
export class EventOutbox {
  private readonly enabled: boolean;
  private readonly publicUrl: string;

  constructor(
    @Inject(DATABASE) private readonly db: Kysely<Database>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly signal: OutboxSignal = new OutboxSignal(),
  ) {
    this.enabled = Boolean(config.events);
    this.publicUrl = config.events?.publicUrl ?? '';
  }

  /** The event of an item change, named and linked for this app. */
  itemEvent(
    kind: ItemEventKind,
    item: ChangedItem,
    changedFields?: readonly string[],
  ): OutboxEvent {
    return itemEvent(
      { appName: this.config.appName, publicUrl: this.publicUrl },
      kind,
      item,
      changedFields,
    );
  }

  /**
   * Runs `change` in a transaction and writes the event it returns in that same transaction. A
   * change that throws rolls back and leaves no event.
   */
  async transaction<T>(change: (trx: Transaction<Database>) => Promise<Outcome<T>>): Promise<T> {
    let recorded = false;
    const result = await this.db.transaction().execute(async (trx) => {
      const { result, event } = await change(trx);
      if (event !== null && this.enabled) {
        await record(trx, event);
        recorded = true;
      }
      return result;
    });
    // Committed: the dispatcher may send it now.
    if (recorded) this.signal.notify();
    return result;
  }
}

/**
 * Inserts under a per-organization lock held until commit, so an organization's `seq` values
 * are handed out in commit order: the dispatcher can never see seq 11 committed before seq 10.
 */
async function record(trx: Transaction<Database>, event: OutboxEvent): Promise<void> {
  await sql`select pg_advisory_xact_lock(${OUTBOX_LOCK_NAMESPACE}, hashtext(${event.organization_id}))`.execute(
    trx,
  );
  await trx.insertInto('event_outbox').values(event).execute();
}
