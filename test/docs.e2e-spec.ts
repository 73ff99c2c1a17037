// Covers /docs: public routes, a valid OpenAPI document whose access rules the guard really enforces.
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import type { DocumentedOperation } from '../src/docs';
import { StandInHub } from '../src/hub';
import { loomSignature } from '../src/zaikio';
import { errorCode, startApp, TestApp, WEBHOOK_SECRET } from './support/app';
import { revocationEvent } from './support/loom-events';
import { startHub } from './support/hub-fixture';
import { tokens } from './support/tokens';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const SOME_ID = '0b6b4c1e-94a4-4c8e-a8a4-5c0e8a1f6d2b';

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly url: string;
  readonly operation: DocumentedOperation;
}

function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation: DocumentedOperation | undefined = item[method];
      if (!operation) return [];
      const url = path.replace(/\{[^}]+\}/g, SOME_ID);
      return [{ method: method.toUpperCase(), path, url, operation }];
    }),
  );
}

describe('API docs (e2e)', () => {
  let hub: StandInHub;
  let server: TestApp;
  let document: OpenAPIObject;

  beforeAll(async () => {
    hub = await startHub();
    server = await startApp(hub);
    const response = await server.get('/docs/api.json');
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenAPIObject;
  }, 60_000); // the embedded database takes a few seconds to start on a busy machine

  afterAll(async () => {
    await server.close();
    await hub.stop();
  });

  const protectedOperations = () =>
    operationsOf(document).filter((op) => op.operation.security?.length);
  // GET cannot carry a body; the guard answers before any body is read anyway.
  const call = (method: string, url: string, token?: string) =>
    method === 'GET' ? server.get(url, token) : server.send(method, url, {}, token);
  const find = (method: string, path: string) => {
    const found = operationsOf(document).find((op) => op.method === method && op.path === path);
    if (!found) throw new Error(`${method} ${path} is not documented`);
    return found.operation;
  };

  it('serves Swagger UI, the document, the manifest and the logo without a token', async () => {
    const html = await server.get('/docs');
    expect(html.status).toBe(200);
    const page = await html.text();
    expect(page).toContain('swagger-ui-bundle.js');
    // Everything Swagger UI loads comes from this server (swagger-ui-dist), never a CDN.
    expect(page.match(/(?:src|href)=["'](?:https?:)?\/\/[^"']*/g)).toBeNull();
    expect((await server.get('/docs/swagger-ui-bundle.js')).status).toBe(200);

    const manifest = await server.get('/docs/manifest.json');
    expect(await manifest.json()).toEqual({
      title: 'Warehouse API',
      logo: '/docs/logo.png',
      summary: expect.any(String),
      references: { API: '/docs/api.json' },
    });
    const logo = await server.get('/docs/logo.png');
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await logo.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('Warehouse API');
    expect(document.servers).toEqual([{ url: '/', description: 'This server' }]);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('offers a pasted bearer token and the configured hub OAuth flow with every scope', () => {
    const schemes = document.components?.securitySchemes ?? {};
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const oauth = schemes.zaikio_oauth;
    const flow = oauth && 'flows' in oauth ? oauth.flows?.authorizationCode : undefined;
    expect(flow?.authorizationUrl).toBe(`${hub.url}/oauth/authorize`);
    expect(flow?.tokenUrl).toBe(`${hub.url}/oauth/access_token`);
    // As the hub expects them requested: items by an organization, settings by a person.
    expect(Object.keys(flow?.scopes ?? {})).toEqual(
      [
        ['Org', 'items'],
        ['Per', 'settings'],
      ].flatMap(([prefix, name]) =>
        ['r', 'w', 'rw'].map((p) => `${prefix}.warehouse.${name}.${p}`),
      ),
    );
  });

  it('states the rules of the items and settings routes', () => {
    expect(find('GET', '/api/v1/items')['x-zaikio-access']).toEqual({
      scopes: ['warehouse.items.r', 'warehouse.items.rw'],
      bearer: 'Organization',
      roles: [],
    });
    expect(find('DELETE', '/api/v1/items/{id}')['x-zaikio-access']).toEqual({
      scopes: ['warehouse.items.w', 'warehouse.items.rw'],
      bearer: 'Organization',
      roles: ['owner', 'admin'],
    });
    expect(find('PUT', '/api/v1/person/settings')['x-zaikio-access']?.bearer).toBe('Person');
    expect(find('GET', '/api/v1/token')['x-zaikio-access']).toEqual({
      scopes: [],
      bearer: null,
      roles: [],
    });
    for (const [method, path] of [
      ['GET', '/health'],
      ['POST', '/webhooks/zaikio'],
    ]) {
      expect(find(method, path).security).toEqual([]);
    }
  });

  it('documents for every protected operation exactly the scopes the guard demands', async () => {
    const noScope = tokens(hub).organization('org-1').mint();
    const scoped = protectedOperations().filter(
      (op) => op.operation['x-zaikio-access']?.scopes.length,
    );
    expect(scoped.length).toBeGreaterThanOrEqual(7);
    for (const { method, url, operation } of scoped) {
      const scopes = operation['x-zaikio-access']?.scopes ?? [];
      const prefix = operation['x-zaikio-access']?.bearer === 'Person' ? 'Per.' : 'Org.';
      expect(operation.security).toEqual([
        { bearer: [] },
        { zaikio_oauth: scopes.map((scope) => `${prefix}${scope}`) },
      ]);
      expect(operation.description).toContain(scopes.map((scope) => `\`${scope}\``).join(', '));
      const response = await call(method, url, noScope);
      expect([method, url, response.status]).toEqual([method, url, 403]);
      expect(response.headers.get('www-authenticate')).toContain(`scope="${scopes.join(' ')}"`);
      const body = (await response.json()) as { errors: string[] };
      expect(body.errors[1]).toContain(
        `requires one of the following scopes: ${scopes.join(', ')} but`,
      );
    }
  });

  it('documents the bearer and roles the guard demands', async () => {
    for (const { method, url, operation } of protectedOperations()) {
      const rule = operation['x-zaikio-access'];
      if (!rule || (rule.bearer === null && rule.roles.length === 0)) continue;
      const scopes = rule.scopes.filter((scope) => scope.endsWith('.rw'));
      if (rule.bearer !== null) {
        const wrong = tokens(hub).scopes(...scopes);
        const token = (
          rule.bearer === 'Person' ? wrong.organization('o') : wrong.person('p')
        ).mint();
        const response = await call(method, url, token);
        expect([method, url, await errorCode(response)]).toEqual([
          method,
          url,
          'unpermitted_subject',
        ]);
      }
      if (rule.roles.length > 0) {
        const token = tokens(hub)
          .onBehalf('p', 'o')
          .roles('member')
          .scopes(...scopes)
          .mint();
        const response = await call(method, url, token);
        expect([method, url, await errorCode(response)]).toEqual([method, url, 'unpermitted_role']);
      }
    }
  });

  it('lets public operations through without a token', async () => {
    for (const { method, url, operation } of operationsOf(document)) {
      if (operation.security?.length) continue;
      const response = await call(method, url);
      if (response.status === 401) expect(await errorCode(response)).not.toBe('no_jwt_passed');
    }
  });

  it("documents Zaikio's error responses on every protected operation", () => {
    for (const { method, path, operation } of protectedOperations()) {
      const codes = Object.keys(operation.responses);
      const where = `${method} ${path}`;
      expect([where, ...['401', '429', '503'].filter((code) => !codes.includes(code))]).toEqual([
        where,
      ]);
      const rule = operation['x-zaikio-access'];
      const refusable = rule && (rule.scopes.length || rule.bearer || rule.roles.length);
      expect([where, codes.includes('403')]).toEqual([where, Boolean(refusable)]);
      const validates =
        operation.requestBody !== undefined ||
        (operation.parameters ?? []).some(
          (parameter) => 'in' in parameter && parameter.in === 'query',
        );
      expect([where, codes.includes('422')]).toEqual([where, validates]);
    }
    const forbidden = find('GET', '/api/v1/items').responses['403'] as ResponseObject;
    expect(forbidden.content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ZaikioError',
    });
    expect(document.components?.schemas?.ZaikioValidationErrors).toMatchObject({
      example: { errors: expect.any(Object) },
    });
  });

  it('gives every success body a schema, and every schema examples', () => {
    const api = operationsOf(document);
    expect(api.length).toBeGreaterThan(8);
    for (const { method, path, operation } of api) {
      const success = Object.entries(operation.responses).find(([code]) => code.startsWith('2'));
      const body = success?.[1] as ResponseObject | undefined;
      if (success?.[0] !== '204') {
        expect([method, path, body?.content?.['application/json']?.schema]).toEqual([
          method,
          path,
          expect.any(Object),
        ]);
      }
    }
    const schemas = Object.entries(document.components?.schemas ?? {}) as [string, SchemaObject][];
    // A schema with a whole example (the error bodies) needs none per property.
    const missing = schemas.flatMap(([name, schema]) =>
      Object.entries(schema.example === undefined ? (schema.properties ?? {}) : {})
        .filter(
          ([, property]) =>
            !('$ref' in property) && !property.allOf && property.example === undefined,
        )
        .map(([field]) => `${name}.${field}`),
    );
    expect(missing).toEqual([]);
  });

  it('documents the bodies the server really sends: token, health, 404, webhook', async () => {
    const schemaOf = (method: string, path: string, status: string): SchemaObject => {
      const response = find(method, path).responses[status] as ResponseObject | undefined;
      let schema = response?.content?.['application/json']?.schema;
      if (schema && '$ref' in schema) {
        schema = document.components?.schemas?.[schema.$ref.split('/').pop()!];
      }
      if (!schema || '$ref' in schema) throw new Error(`${method} ${path} ${status}: no schema`);
      return schema;
    };
    const fieldsOf = (schema: SchemaObject) => Object.keys(schema.properties ?? {}).sort();

    const token = tokens(hub).onBehalf('person-docs', 'org-docs').roles('owner').mint();
    const described = (await (await server.get('/api/v1/token', token)).json()) as object;
    expect(Object.keys(described).sort()).toEqual(
      fieldsOf(schemaOf('GET', '/api/v1/token', '200')),
    );

    const health = (await (await server.get('/health')).json()) as Record<string, unknown>;
    const readiness = schemaOf('GET', '/health', '200');
    expect(fieldsOf(readiness)).toEqual(expect.arrayContaining(Object.keys(health)));
    expect(Object.keys(health)).toEqual(expect.arrayContaining(readiness.required ?? []));
    const live = (await (await server.get('/health/live')).json()) as object;
    expect(Object.keys(live)).toEqual(fieldsOf(schemaOf('GET', '/health/live', '200')));

    const event = revocationEvent('docs-webhook');
    const delivered = await fetch(`${server.url}/webhooks/zaikio`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-loom-signature': loomSignature(WEBHOOK_SECRET, event),
      },
      body: event,
    });
    expect(delivered.status).toBe(200);
    const acknowledged = (await delivered.json()) as object;
    expect(Object.keys(acknowledged).sort()).toEqual(
      fieldsOf(schemaOf('POST', '/webhooks/zaikio', '200')),
    );
    const forged = await fetch(`${server.url}/webhooks/zaikio`, { method: 'POST', body: event });
    expect(forged.status).toBe(401);
    const invalidSignature = (find('POST', '/webhooks/zaikio').responses['401'] as ResponseObject)
      .content?.['application/json'].examples?.invalid_signature;
    expect(await forged.json()).toEqual((invalidSignature as { value: unknown }).value);

    const organization = tokens(hub).organization('org-docs').scopes('warehouse.items.r').mint();
    const missing = await server.get(`/api/v1/items/${SOME_ID}`, organization);
    expect(missing.status).toBe(404);
    const notFound = find('GET', '/api/v1/items/{id}').responses['404'] as ResponseObject;
    expect(await missing.json()).toEqual(notFound.content?.['application/json'].example);
    expect(schemaOf('GET', '/api/v1/items/{id}', '404')).toBe(
      document.components?.schemas?.ZaikioError,
    );
  });

  it('documents both 503 causes on protected operations', () => {
    const unavailable = document.components?.responses?.Unavailable as ResponseObject;
    expect(Object.keys(unavailable.content?.['application/json'].examples ?? {})).toEqual([
      'hub_unavailable',
      'database_unavailable',
    ]);
    expect(find('GET', '/api/v1/items').responses['503']).toEqual({
      $ref: '#/components/responses/Unavailable',
    });
  });

  it('documents page, per_page and the pagination headers on the items list', () => {
    const list = find('GET', '/api/v1/items');
    expect(
      (list.parameters ?? []).map((parameter) => 'name' in parameter && parameter.name),
    ).toEqual(expect.arrayContaining(['page', 'per_page']));
    const headers = (list.responses['200'] as ResponseObject).headers ?? {};
    expect(Object.keys(headers)).toEqual(
      expect.arrayContaining(['Current-Page', 'Total-Count', 'Total-Pages', 'Link']),
    );
  });
});
