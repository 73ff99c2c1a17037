import type {
  ComponentsObject,
  ExampleObject,
  HeaderObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { ApiNotFoundResponse } from '@nestjs/swagger';
import { NotFoundError } from '../common/domain-errors';
import { BODY_NOT_AN_OBJECT } from '../common/validation.pipe';
import { CompiledRule } from '../zaikio';

/**
 * Zaikio's error bodies as OpenAPI components, with examples copied from what the guard, the
 * validation pipe and the exception filter really send, so a client can be written from the docs.
 */
export const ERROR_SCHEMA = 'ZaikioError';
export const VALIDATION_SCHEMA = 'ZaikioValidationErrors';
export const UNAUTHORIZED_RESPONSE = 'Unauthorized';
export const TOO_MANY_REQUESTS_RESPONSE = 'TooManyRequests';
export const UNAVAILABLE_RESPONSE = 'Unavailable';
export const INTERNAL_ERROR_RESPONSE = 'InternalError';
export const INTERNAL_ERROR_SCHEMA = 'ZaikioInternalError';

// The guard's link in its scope message; repeated here because the example must read the same.
const SCOPES_DOCS = 'https://docs.zaikio.com/guide/oauth/scopes.html';

const ref = (kind: 'schemas' | 'responses', name: string): ReferenceObject => ({
  $ref: `#/components/${kind}/${name}`,
});

const errorSchema: SchemaObject = {
  type: 'object',
  required: ['errors'],
  description: 'Zaikio error body: a machine-readable code, then an optional human sentence.',
  properties: {
    errors: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 },
  },
  example: { errors: ['jwt_expired', 'The access token has expired.'] },
};

const validationSchema: SchemaObject = {
  type: 'object',
  required: ['errors'],
  description: 'Validation failure: every offending field with its messages.',
  properties: {
    errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
  example: { errors: { quantity: ['quantity must not be less than 0'] } },
};

/** The 500 body: the code, then a sentence with the id under which the log holds the details. */
const internalErrorSchema: SchemaObject = {
  type: 'object',
  required: ['errors'],
  description: 'Something unexpected failed; quote the error id to the operators.',
  properties: {
    errors: {
      type: 'array',
      minItems: 2,
      maxItems: 2,
      items: { type: 'string', pattern: '^internal_error$|error id [0-9a-f-]{36}' },
    },
  },
  example: {
    errors: [
      'internal_error',
      'Something went wrong on our side (error id 5b0c6f8e-2a61-4c1e-9f3a-7d2e8b4a1c90).',
    ],
  },
};

export function errorExample(code: string, sentence: string, summary: string): ExampleObject {
  return { summary, value: { errors: [code, sentence] } };
}

export function errorResponse(
  description: string,
  examples: Record<string, ExampleObject>,
  headers?: Record<string, HeaderObject>,
): ResponseObject {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/json': { schema: ref('schemas', ERROR_SCHEMA), examples } },
  };
}

const header = (
  description: string,
  type: 'string' | 'integer',
  required = false,
): HeaderObject => ({
  description,
  required,
  schema: type === 'integer' ? { type, format: 'int64', minimum: 0 } : { type },
});

/**
 * Sent on every answer of a protected operation once the token passed the guard (success, 404,
 * 422). Not required: while the shared rate-limit store (Redis) is unreachable, limiting is open
 * and the headers are left out.
 */
export const RATE_LIMIT_HEADERS: Readonly<Record<string, HeaderObject>> = {
  'RateLimit-Rule': header('The rule applied, e.g. 600reqs/60s', 'string'),
  'RateLimit-Remaining': header('Requests left in this window', 'integer'),
  'RateLimit-Reset': header('UNIX time (seconds) when the window resets', 'integer'),
};

/** Shared components: the two body schemas and the responses that read the same on every route. */
export function errorComponents(): ComponentsObject {
  return {
    schemas: {
      [ERROR_SCHEMA]: errorSchema,
      [VALIDATION_SCHEMA]: validationSchema,
      [INTERNAL_ERROR_SCHEMA]: internalErrorSchema,
    },
    responses: {
      [UNAUTHORIZED_RESPONSE]: errorResponse(
        'No valid access token: missing, malformed, badly signed, expired, revoked or for another app.',
        {
          no_jwt_passed: errorExample(
            'no_jwt_passed',
            'No Authorization header was sent.',
            'No token',
          ),
          invalid_jwt: errorExample(
            'invalid_jwt',
            'The access token signature does not verify with the Zaikio hub keys.',
            'Bad token',
          ),
          jwt_expired: errorExample('jwt_expired', 'The access token has expired.', 'Expired'),
          unpermitted_audience: errorExample(
            'unpermitted_audience',
            'The access token was not issued for this app (aud).',
            'Another app',
          ),
        },
        {
          'WWW-Authenticate': header(
            'RFC 6750 Bearer challenge; `resource_metadata` names the RFC 9728 metadata ' +
              '(/.well-known/oauth-protected-resource: the hub and the scopes to request)',
            'string',
            true,
          ),
        },
      ),
      [TOO_MANY_REQUESTS_RESPONSE]: errorResponse(
        'Rate limited: retry after Retry-After seconds.',
        {
          rate_limited: errorExample(
            'rate_limited',
            'Too many requests for this app and subject (limit 600reqs/60s); retry in 12 s.',
            'Rate limited',
          ),
        },
        {
          'Retry-After': header('Seconds to wait before retrying', 'integer', true),
          'RateLimit-Reset': header('UNIX time (seconds) when the window resets', 'integer', true),
          'RateLimit-Rule': header('The rule applied, e.g. 600reqs/60s', 'string', true),
        },
      ),
      [UNAVAILABLE_RESPONSE]: errorResponse(
        "A dependency is down for the moment: the Zaikio hub's keys or roles could not be loaded " +
          'yet (the token cannot be checked), or the database cannot be reached. Retry later.',
        {
          hub_unavailable: errorExample(
            'hub_unavailable',
            'The Zaikio hub keys could not be loaded yet; please retry shortly.',
            'Hub unavailable',
          ),
          database_unavailable: errorExample(
            'database_unavailable',
            'The database cannot be reached; try again shortly.',
            'Database unavailable',
          ),
        },
        { 'Retry-After': header('Seconds to wait before retrying', 'integer', true) },
      ),
      [INTERNAL_ERROR_RESPONSE]: {
        description: 'Unexpected failure; the body names the error id, details are only logged.',
        content: { 'application/json': { schema: ref('schemas', INTERNAL_ERROR_SCHEMA) } },
      },
    },
  };
}

export const unauthorizedRef = () => ref('responses', UNAUTHORIZED_RESPONSE);
export const tooManyRequestsRef = () => ref('responses', TOO_MANY_REQUESTS_RESPONSE);
export const unavailableRef = () => ref('responses', UNAVAILABLE_RESPONSE);
export const internalErrorRef = () => ref('responses', INTERNAL_ERROR_RESPONSE);

/**
 * Documents the 404 of an operation on one resource by id, with the filter's body for
 * NotFoundError(resource).
 */
export function ApiNotFound(resource: string): MethodDecorator & ClassDecorator {
  return ApiNotFoundResponse({
    description: `No ${resource} with this id for the token's organization (another tenant's ${resource} reads the same).`,
    content: {
      'application/json': {
        schema: ref('schemas', ERROR_SCHEMA),
        example: { errors: ['not_found', new NotFoundError(resource).message] },
      },
    },
  });
}

/**
 * The 403 of one operation, with only the refusals its rule can produce and the guard's own
 * sentences; null when the rule cannot refuse a valid token (no scope, bearer or role demanded).
 */
export function forbiddenResponse(rule: CompiledRule): ResponseObject | null {
  const examples: Record<string, ExampleObject> = {};
  if (rule.scopes.length > 0) {
    examples.unpermitted_scope = errorExample(
      'unpermitted_scope',
      `This endpoint requires one of the following scopes: ${rule.scopes.join(', ')} but your ` +
        `access token only includes the following scopes: none - For more information check ` +
        `our docs: ${SCOPES_DOCS}`,
      'Scope missing',
    );
  }
  if (rule.bearer !== null) {
    const other = rule.bearer === 'Organization' ? 'a Person' : 'an Organization';
    examples.unpermitted_subject = errorExample(
      'unpermitted_subject',
      `This endpoint requires a ${rule.bearer} token but your access token's bearer is ${other}.`,
      'Wrong bearer',
    );
  }
  if (rule.roles.length > 0) {
    examples.unpermitted_role = errorExample(
      'unpermitted_role',
      `This endpoint requires the acting person to have one of the following roles: ` +
        `${rule.roles.join(', ')} but they have: member.`,
      'Role missing',
    );
  }
  if (Object.keys(examples).length === 0) return null;
  return errorResponse(
    'The token is valid but may not do this: see the access rule above.',
    examples,
    { 'WWW-Authenticate': header('Sent for a missing scope: the scopes that would do', 'string') },
  );
}

/**
 * 422 with an example naming one of the operation's own fields; where the operation takes a body,
 * also the answer for a body that is valid JSON but not an object.
 */
export function validationResponse(field: string, takesBody: boolean): ResponseObject {
  const examples: Record<string, ExampleObject> = {
    invalid_fields: {
      summary: 'A field breaks its rule; an unknown field',
      value: { errors: { [field]: [`${field} has an invalid value`], colour: ['is not allowed'] } },
    },
  };
  if (takesBody) {
    examples.body_not_an_object = {
      summary: 'The body is an array, a string, a number or null',
      value: { errors: { body: [BODY_NOT_AN_OBJECT] } },
    };
  }
  return {
    description: 'The body or query does not validate; unknown fields are refused too.',
    content: { 'application/json': { schema: ref('schemas', VALIDATION_SCHEMA), examples } },
  };
}
