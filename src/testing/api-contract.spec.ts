// Covers the contract check every e2e answer goes through: hand-made answers that break a document must fail.
import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiContract, Exchange } from './api-contract';
import './api-contract-matcher';

const PARTY = {
  type: 'object',
  required: ['type', 'id'],
  properties: {
    type: { type: 'string', enum: ['Organization', 'Person'] },
    id: { type: 'string' },
  },
};

/** A small document in the shapes @nestjs/swagger and src/docs emit. */
const DOCUMENT: OpenAPIObject = {
  openapi: '3.0.0',
  info: { title: 'test', version: '1' },
  paths: {
    '/api/v1/token': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            headers: {
              'RateLimit-Remaining': { required: false, schema: { type: 'integer', minimum: 0 } },
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Token' } } },
          },
          '401': {
            description: 'no token',
            headers: { 'WWW-Authenticate': { required: true, schema: { type: 'string' } } },
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/ZaikioError' } },
            },
          },
        },
      },
    },
    '/api/v1/items/{id}': {
      delete: { responses: { '204': { description: 'Deleted' } } },
    },
  },
  components: {
    schemas: {
      Party: PARTY,
      Token: {
        type: 'object',
        required: ['bearer', 'on_behalf_of', 'expires_at'],
        properties: {
          bearer: { $ref: '#/components/schemas/Party' },
          on_behalf_of: { ...PARTY, nullable: true },
          // The reported bug's shape: nullable beside allOf still demands the referenced object.
          acting: {
            nullable: true,
            type: 'object',
            allOf: [{ $ref: '#/components/schemas/Party' }],
          },
          expires_at: { type: 'string', format: 'date-time' },
          quantity: { type: 'integer', format: 'int32' },
        },
      },
      ZaikioError: {
        type: 'object',
        required: ['errors'],
        properties: { errors: { type: 'array', items: { type: 'string' }, minItems: 1 } },
      },
    },
  },
};

const token = {
  bearer: { type: 'Organization', id: 'org-1' },
  on_behalf_of: null,
  expires_at: '2026-11-25T10:00:00.000Z',
};

function answer(overrides: Partial<Exchange> & { json?: unknown } = {}): Exchange {
  const { json = token, ...rest } = overrides;
  return {
    method: 'GET',
    url: '/api/v1/token',
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'ratelimit-remaining': '9' },
    body: JSON.stringify(json),
    ...rest,
  };
}

describe('ApiContract', () => {
  const contract = new ApiContract(DOCUMENT);

  it('accepts an answer that matches, null where the document allows it', () => {
    expect(answer()).toSatisfyApiContract(contract);
    expect(answer({ url: '/API/v1/token/?x=1' })).toSatisfyApiContract(DOCUMENT);
    expect(
      answer({ method: 'DELETE', url: '/api/v1/items/i-1', status: 204, headers: {}, body: '' }),
    ).toSatisfyApiContract(contract);
  });

  it('fails a hand-made wrong answer, saying what is wrong', () => {
    const wrong = answer({ json: { ...token, bearer: { type: 'Robot', id: 7 } } });
    expect(() => expect(wrong).toSatisfyApiContract(contract)).toThrow(
      /GET \/api\/v1\/token 200: body \/bearer\/type must be equal to one of the allowed values.*\/bearer\/id must be string/,
    );
  });

  it.each([
    [
      'a status the operation does not document',
      answer({ status: 418 }),
      /status 418 is not documented/,
    ],
    [
      'a missing required member',
      answer({ json: { bearer: token.bearer, expires_at: token.expires_at } }),
      /must have required property 'on_behalf_of'/,
    ],
    [
      'a member the document does not name',
      answer({ json: { ...token, secret: 'x' } }),
      /must NOT have additional properties.*secret/,
    ],
    [
      'a date that is not a date-time',
      answer({ json: { ...token, expires_at: 'tomorrow' } }),
      /must match format "date-time"/,
    ],
    [
      'an integer out of int32',
      answer({ json: { ...token, quantity: 2 ** 31 } }),
      /must match format "int32"/,
    ],
    [
      'null for a nullable allOf reference',
      answer({ json: { ...token, acting: null } }),
      /\/acting must be object/,
    ],
    ['a body that is not JSON', answer({ body: '<html>' }), /the body is not JSON/],
    [
      'another content type',
      answer({ headers: { 'content-type': 'text/html' } }),
      /content type "text\/html" is not documented/,
    ],
    [
      'a header of the wrong type',
      answer({ headers: { 'content-type': 'application/json', 'ratelimit-remaining': 'many' } }),
      /header RateLimit-Remaining: "many" .*must be integer/,
    ],
    [
      'a required header left out',
      answer({ status: 401, json: { errors: ['no_jwt_passed'] } }),
      /required header WWW-Authenticate is missing/,
    ],
    [
      'a body where none is documented',
      answer({ method: 'DELETE', url: '/api/v1/items/i-1', status: 204 }),
      /documented without a body/,
    ],
  ])('fails %s', (_case, exchange, problem) => {
    expect(exchange).not.toSatisfyApiContract(contract);
    expect(contract.check(exchange).join('\n')).toMatch(problem);
  });

  it('holds paths outside the document to a 404 or 405 in the error shape', () => {
    const unknown = { url: '/api/v1/nothing', headers: { 'content-type': 'application/json' } };
    expect(
      answer({ ...unknown, status: 404, json: { errors: ['not_found'] } }),
    ).toSatisfyApiContract(contract);
    expect(contract.check(answer({ ...unknown, status: 200 }))).toEqual([
      'GET /api/v1/nothing (not an API operation): answered 200; only 404 or 405 may answer it',
    ]);
    expect(
      contract.check(answer({ ...unknown, status: 404, json: { message: 'Not Found' } }))[0],
    ).toMatch(/must have required property 'errors'/);
    // Undocumented methods on documented paths are not operations either.
    expect(contract.check(answer({ method: 'POST', status: 201 }))[0]).toMatch(
      /not an API operation/,
    );
  });

  it('leaves the docs pages and metrics alone', () => {
    const page = { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>' };
    expect(answer({ url: '/docs', ...page })).toSatisfyApiContract(contract);
    expect(answer({ url: '/docs/swagger-ui.css', ...page })).toSatisfyApiContract(contract);
    expect(answer({ url: '/metrics', ...page })).toSatisfyApiContract(contract);
  });

  it('checks only status and headers of a HEAD answer', () => {
    expect(answer({ method: 'HEAD', body: '' })).toSatisfyApiContract(contract);
    expect(answer({ method: 'HEAD', status: 418, body: '' })).not.toSatisfyApiContract(contract);
  });
});
