import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The Kysely view of the database. Migrations define the real schema; keep both in step.
 * Timestamps are read as Date on both engines (pg and PGlite parse timestamptz the same way).
 */
export interface Database {
  items: ItemsTable;
  person_settings: PersonSettingsTable;
  event_outbox: EventOutboxTable;
}

export const ITEM_UNITS = ['sheets', 'kg', 'pieces', 'rolls'] as const;
export type ItemUnit = (typeof ITEM_UNITS)[number];

export const UNIT_SYSTEMS = ['metric', 'imperial'] as const;
export type UnitSystem = (typeof UNIT_SYSTEMS)[number];

export type PartyType = 'Organization' | 'Person';

export interface ItemsTable {
  id: Generated<string>;
  // The tenant: set on insert, never moved to another organization.
  organization_id: ColumnType<string, string, never>;
  sku: string;
  name: string;
  quantity: number;
  unit: ItemUnit;
  // Set by the database (default now()); updates write now() explicitly.
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, Date>;
  created_by_type: ColumnType<PartyType, PartyType, never>;
  created_by_id: ColumnType<string, string, never>;
  updated_by_type: PartyType;
  updated_by_id: string;
}

export type ItemRow = Selectable<ItemsTable>;
export type NewItemRow = Insertable<ItemsTable>;
export type ItemRowUpdate = Updateable<ItemsTable>;

export interface PersonSettingsTable {
  person_id: string;
  unit_system: UnitSystem;
  locale: string;
  updated_at: ColumnType<Date, never, Date>;
}

export type PersonSettingsRow = Selectable<PersonSettingsTable>;

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

export interface EventOutboxTable {
  seq: ColumnType<string, never, never>;
  id: ColumnType<string, string | undefined, never>;
  organization_id: ColumnType<string, string, never>;
  name: ColumnType<string, string, never>;
  subject: ColumnType<string, string, never>;
  payload: ColumnType<string, string, never>;
  link: ColumnType<string | null, string | null, never>;
  occurred_at: ColumnType<Date, never, never>;
  status: ColumnType<OutboxStatus, never, OutboxStatus>;
  attempts: ColumnType<number, never, number>;
  next_attempt_at: ColumnType<Date, never, Date>;
  claimed_by: ColumnType<string | null, never, string | null>;
  claimed_until: ColumnType<Date | null, never, Date | null>;
  last_error: ColumnType<string | null, never, string | null>;
  delivered_at: ColumnType<Date | null, never, Date | null>;
}

export type OutboxRow = Selectable<EventOutboxTable>;
export type NewOutboxRow = Insertable<EventOutboxTable>;
