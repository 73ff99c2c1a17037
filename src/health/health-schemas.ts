import type { SchemaObject } from '@nestjs/swagger';

const hubResource: SchemaObject = {
  type: 'object',
  properties: {
    loaded: { type: 'boolean' },
    age_seconds: { type: 'integer', nullable: true },
    last_error: { type: 'string', nullable: true },
  },
};

const indicators: SchemaObject = {
  type: 'object',
  description: 'Per check (database, hub_keys): status up or down, with its details',
  additionalProperties: { type: 'object', properties: { status: { enum: ['up', 'down'] } } },
};

/** The readiness body of GET /health, as the controller builds it. */
export const READINESS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'degraded', 'redis', 'revocations', 'hub'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    info: indicators,
    error: indicators,
    details: indicators,
    degraded: {
      type: 'array',
      items: { type: 'string', enum: ['redis'] },
      description: 'Parts that are down without making the instance unready',
    },
    redis: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['up', 'down', 'not_configured'] } },
    },
    revocations: { type: 'object', properties: { known: { type: 'integer' } } },
    hub: {
      type: 'object',
      properties: { keys: hubResource, roles: hubResource, revoked_access_tokens: hubResource },
    },
  },
  example: {
    status: 'ok',
    info: {
      database: { status: 'up', latency_ms: 1 },
      hub_keys: { status: 'up', age_seconds: 12 },
    },
    error: {},
    degraded: [],
    redis: { status: 'not_configured' },
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
