import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import { LOOM_WEBHOOK_PATH } from '../zaikio';
import { errorExample, errorResponse } from './error-schemas';

const EVENT_EXAMPLE = {
  id: 'a2d7f5e4-7c1b-4c8e-9f52-5b1c7a0e3d11',
  name: 'zaikio.revoked_access_token',
  subject: 'Org/6f2c3c8e-1d3a-4f0e-9a53-4d1f0c6b7a21',
  timestamp: '2026-11-25T09:30:00.000Z',
  version: '1.0',
  payload: { access_token_id: '3c3e4b3c-0b0a-4a4a-9a0a-1a2b3c4d5e6f' },
};

const ACKNOWLEDGEMENT: SchemaObject = {
  type: 'object',
  required: ['received', 'processed'],
  properties: {
    received: { type: 'boolean', enum: [true] },
    processed: {
      type: 'boolean',
      description: 'false for events this app does not act on (they are acknowledged all the same)',
    },
  },
  example: { received: true, processed: true },
};

/**
 * The Loom webhook's operation, which the auth module declares without Swagger: the signed event
 * it takes and what it answers. Loom retries anything but 2xx, so only a bad signature or a body
 * that is not an event is refused. No-op when the app does not route the webhook.
 */
export function documentLoomWebhook(document: OpenAPIObject): OpenAPIObject {
  const operation = document.paths[`/${LOOM_WEBHOOK_PATH}`]?.post;
  if (!operation) return document;
  operation.summary = 'Receive a Loom event (revoked access tokens)';
  operation.tags = ['webhooks'];
  operation.parameters = [
    {
      name: 'X-Loom-Signature',
      in: 'header',
      required: true,
      description: 'Hex HMAC-SHA256 of the raw body with the app’s webhook secret',
      schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    },
  ];
  operation.requestBody = {
    required: true,
    content: { 'application/json': { schema: { type: 'object' }, example: EVENT_EXAMPLE } },
  };
  operation.responses = {
    '200': {
      description: 'Received (also for a duplicate delivery or an event this app ignores)',
      content: { 'application/json': { schema: ACKNOWLEDGEMENT } },
    },
    '401': errorResponse('The signature is missing or does not match the body.', {
      invalid_signature: errorExample(
        'invalid_signature',
        'X-Loom-Signature is missing or does not match the body.',
        'Bad signature',
      ),
    }),
    '422': errorResponse('Signed, but not a Loom event.', {
      invalid_event: errorExample('invalid_event', 'The event has no name.', 'Not an event'),
    }),
  };
  return document;
}
