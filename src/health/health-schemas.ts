import type { SchemaObject } from '@nestjs/swagger';

const nullableInteger: SchemaObject = { type: 'integer', format: 'int32', nullable: true };
const nullableString: SchemaObject = { type: 'string', nullable: true };

const hubResource: SchemaObject = {
  type: 'object',
  required: ['loaded', 'age_seconds', 'last_error'],
  properties: {
    loaded: { type: 'boolean' },
    age_seconds: { ...nullableInteger, description: 'Seconds since it was last loaded' },
    last_error: nullableString,
  },
};

const upOrDown: SchemaObject = { type: 'string', enum: ['up', 'down'] };

/** The database check: its latency when it answers, the reason when it does not. */
const databaseIndicator: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: upOrDown,
    latency_ms: { type: 'integer', format: 'int32', minimum: 0 },
    message: { type: 'string', description: 'Why the database did not answer (down only)' },
  },
};

/** The hub keys check: down only while no key was ever loaded. */
const hubKeysIndicator: SchemaObject = {
  type: 'object',
  required: ['status', 'age_seconds', 'stale', 'last_error'],
  properties: {
    status: upOrDown,
    age_seconds: nullableInteger,
    stale: { type: 'boolean', description: "Older than the hub's one-hour cache limit" },
    last_error: nullableString,
    message: { type: 'string', enum: ['never loaded'] },
  },
};

const indicators = (description: string): SchemaObject => ({
  type: 'object',
  description,
  properties: { database: databaseIndicator, hub_keys: hubKeysIndicator },
});

const redisStatus: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['up', 'down', 'not_configured'] },
    state: { type: 'string', description: "The connection's state (not for not_configured)" },
    down_for_seconds: nullableInteger,
    last_error: nullableString,
    effect: { type: 'string', description: 'What being down means for requests (down only)' },
  },
};

/** The events outbox: `stale` once its oldest pending event is older than EVENTS_STALE_AFTER. */
const outboxStatus: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: {
      type: 'string',
      enum: ['ok', 'stale', 'off', 'unknown'],
      description: 'off: EVENTS=off; unknown: the database did not answer',
    },
    pending: { type: 'integer', format: 'int32', minimum: 0 },
    dead: { type: 'integer', format: 'int32', minimum: 0, description: 'Dead letters kept' },
    oldest_pending_seconds: { ...nullableInteger, minimum: 0 },
    stale_after_seconds: { type: 'integer', format: 'int32', minimum: 1 },
    last_error: { type: 'string', description: 'Why the outbox could not be read (unknown only)' },
  },
};

/** The readiness body of GET /health, as the controller builds it. */
export const READINESS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'degraded', 'redis', 'outbox', 'revocations', 'hub'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    info: indicators('The checks that are up'),
    error: indicators('The checks that are down'),
    details: indicators('Every check'),
    degraded: {
      type: 'array',
      items: { type: 'string', enum: ['redis', 'outbox'] },
      maxItems: 2,
      uniqueItems: true,
      description:
        'Parts that are down or behind without making the instance unready: redis down, or ' +
        'outbox with its oldest pending event older than EVENTS_STALE_AFTER',
    },
    redis: redisStatus,
    outbox: outboxStatus,
    revocations: {
      type: 'object',
      required: ['known'],
      properties: { known: { type: 'integer', format: 'int32', minimum: 0 } },
    },
    hub: {
      type: 'object',
      required: ['keys', 'roles', 'revoked_access_tokens'],
      properties: { keys: hubResource, roles: hubResource, revoked_access_tokens: hubResource },
    },
  },
  example: {
    status: 'ok',
    info: {
      database: { status: 'up', latency_ms: 1 },
      hub_keys: { status: 'up', age_seconds: 12, stale: false, last_error: null },
    },
    error: {},
    details: {
      database: { status: 'up', latency_ms: 1 },
      hub_keys: { status: 'up', age_seconds: 12, stale: false, last_error: null },
    },
    degraded: [],
    redis: { status: 'not_configured' },
    outbox: {
      status: 'ok',
      pending: 0,
      dead: 0,
      oldest_pending_seconds: null,
      stale_after_seconds: 300,
    },
    revocations: { known: 0 },
    hub: {
      keys: { loaded: true, age_seconds: 12, last_error: null },
      roles: { loaded: true, age_seconds: 12, last_error: null },
      revoked_access_tokens: { loaded: true, age_seconds: 12, last_error: null },
    },
  },
};

/** 503: `{"errors": ["not_ready", <the readiness body>]}`. */
export const NOT_READY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      minItems: 2,
      maxItems: 2,
      items: { oneOf: [{ type: 'string', enum: ['not_ready'] }, READINESS_SCHEMA] },
    },
  },
};

export const LIVENESS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
};
