import { Kysely, sql, UpdateObject } from 'kysely';
import type { Database, OutboxRow } from '../database';

/** Pending, oldest pending event's age: what health and metrics report. */
export interface OutboxDepth {
  readonly pending: number;
  readonly dead: number;
  readonly oldestPendingSeconds: number | null;
}

/**
 * The dispatcher's queries on event_outbox. Every time is the database's `now()`, so instances
 * with skewed clocks agree on leases and due times.
 */
export class OutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Claims up to `limit` due events for `owner` until the lease ends: only the oldest pending
   * event of each organization, so an organization's next event waits until the one before is
   * delivered or dead. `FOR UPDATE SKIP LOCKED` lets instances claim side by side without
   * waiting for each other, and the claim conditions are checked again on the locked row, so a
   * row another instance claimed or delivered meanwhile is left out. A lease that ran out (its
   * instance died) makes the event claimable again.
   */
  async claim(owner: string, limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
    const { rows } = await sql<OutboxRow>`
      update event_outbox
         set claimed_by = ${owner},
             claimed_until = now() + ${leaseSeconds} * interval '1 second'
       where seq in (
         select candidate.seq
           from event_outbox candidate
          where candidate.seq in (
                  select distinct on (organization_id) seq
                    from event_outbox
                   where status = 'pending'
                   order by organization_id, seq)
            and candidate.status = 'pending'
            and candidate.next_attempt_at <= now()
            and (candidate.claimed_until is null or candidate.claimed_until < now())
          order by candidate.seq
          limit ${limit}
            for update skip locked)
      returning *`.execute(this.db);
    return [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  markDelivered(owner: string, seq: string): Promise<boolean> {
    return this.settle(owner, seq, {
      status: 'delivered',
      delivered_at: sql<Date>`now()`,
      last_error: null,
    });
  }

  markDead(owner: string, seq: string, error: string): Promise<boolean> {
    return this.settle(owner, seq, { status: 'dead', last_error: error });
  }

  scheduleRetry(owner: string, seq: string, error: string, delayMs: number): Promise<boolean> {
    return this.settle(owner, seq, {
      last_error: error,
      next_attempt_at: sql<Date>`now() + ${delayMs} * interval '1 millisecond'`,
    });
  }

  /** Gives up `owner`'s claims (shutdown): another instance, or the next start, sends them. */
  async release(owner: string): Promise<number> {
    const result = await this.db
      .updateTable('event_outbox')
      .set({ claimed_by: null, claimed_until: null })
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Deletes delivered rows older than the retention period; dead letters stay. */
  async prune(retentionSeconds: number): Promise<number> {
    const result = await this.db
      .deleteFrom('event_outbox')
      .where('status', '=', 'delivered')
      .where('delivered_at', '<', sql<Date>`now() - ${retentionSeconds} * interval '1 second'`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async depth(): Promise<OutboxDepth> {
    const { rows } = await sql<{ pending: string; dead: string; oldest: number | null }>`
      select count(*) filter (where status = 'pending') as pending,
             count(*) filter (where status = 'dead') as dead,
             extract(epoch from now() - min(occurred_at) filter (where status = 'pending'))::float8
               as oldest
        from event_outbox
       where status <> 'delivered'`.execute(this.db);
    const [row] = rows;
    return {
      pending: Number(row.pending),
      dead: Number(row.dead),
      oldestPendingSeconds: row.oldest === null ? null : Math.max(0, Math.floor(row.oldest)),
    };
  }

  /** Ends a claim with the attempt counted, unless the lease ran out and another took it. */
  private async settle(
    owner: string,
    seq: string,
    changes: UpdateObject<Database, 'event_outbox'>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('event_outbox')
      .set(changes)
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        claimed_by: null,
        claimed_until: null,
      }))
      .where('seq', '=', seq)
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
