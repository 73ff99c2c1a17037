import type { OpenAPIObject, OperationObject, TagObject } from '@nestjs/swagger';
import { JSON_TOO_DEEP, MAX_JSON_DEPTH } from '../common/body-parsers';
import { HTTP_METHODS } from './access-rule-docs';
import { errorExample, errorResponse, internalErrorRef } from './error-schemas';

/** What each tag groups, declared once at the top of the document. */
const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  items: "The bearer organization's items: list, create, read, change, delete",
  'person settings': "The bearer person's own settings",
  token: 'What the server understood of your access token',
  health: 'Liveness and readiness probes for load balancers',
  webhooks: 'Events Zaikio Loom delivers to this app',
  oauth: 'Where to get a token: OAuth 2.0 protected resource metadata (RFC 9728)',
};

/**
 * Answers every operation shares, whatever its controller says: the 500 with its error id, and
 * on operations that take a body the body parsers' refusals (they run before routing and before
 * the guard, so they answer without a token too). Then every tag an operation uses is declared.
 */
export function documentSharedAnswers(source: OpenAPIObject): OpenAPIObject {
  const document = structuredClone(source);
  const used = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (!operation) continue;
      operation.tags?.forEach((tag) => used.add(tag));
      if (operation.requestBody) documentBodyRefusals(operation);
      operation.responses['500'] ??= internalErrorRef();
    }
  }
  const declared = new Map((document.tags ?? []).map((tag) => [tag.name, tag]));
  for (const name of [...used].sort()) {
    if (!declared.has(name)) declared.set(name, describeTag(name));
  }
  document.tags = [...declared.values()];
  return document;
}

function describeTag(name: string): TagObject {
  const description = TAG_DESCRIPTIONS[name];
  return description === undefined ? { name } : { name, description };
}

function documentBodyRefusals(operation: OperationObject): void {
  const responses = operation.responses;
  responses['400'] ??= errorResponse(
    `The body could not be read: not valid JSON, cut off, or nested more than ${MAX_JSON_DEPTH} levels deep.`,
    {
      malformed_json: errorExample(
        'malformed_json',
        'The request body is not valid JSON.',
        'Malformed JSON',
      ),
      bad_request: errorExample('bad_request', 'The request body could not be read.', 'Unreadable'),
      json_too_deep: errorExample('json_too_deep', JSON_TOO_DEEP, 'Nested too deep'),
    },
  );
  responses['413'] ??= errorResponse('The body is larger than this operation accepts.', {
    payload_too_large: errorExample(
      'payload_too_large',
      'The request body is too large.',
      'Too large',
    ),
  });
  responses['415'] ??= errorResponse(
    'The body is not JSON (Content-Type), or its charset or content encoding is not supported.',
    {
      unsupported_media_type: errorExample(
        'unsupported_media_type',
        'Send request bodies as JSON (Content-Type: application/json).',
        'Not JSON',
      ),
    },
  );
}
