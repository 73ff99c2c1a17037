// Covers how route rules become security, x-zaikio-access, descriptions and error responses.
import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { compileRule } from '../zaikio';
import {
  documentAccessRules,
  DocumentedOperation,
  RouteAccess,
  scopeMeaning,
} from './access-rule-docs';

const options = { appName: 'warehouse', hubUrl: 'https://hub.example' };

function sourceDocument(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        get: {
          parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' } }],
          responses: { '200': { description: 'ok' } },
        },
        post: {
          description: 'Creates a thing.',
          requestBody: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          responses: { '201': { description: 'created' } },
        },
      },
      '/things/{id}': {
        delete: {
          responses: { '204': { description: 'gone' }, '403': { description: 'custom' } },
        },
      },
      '/me': { get: { responses: { '200': { description: 'ok' } } } },
      '/health': { get: { responses: { '200': { description: 'ok' } } } },
    },
    components: { schemas: { Thing: { type: 'object', properties: { sku: { type: 'string' } } } } },
  };
}

const routes: RouteAccess[] = [
  { path: '/things', method: 'GET', rule: { scope: 'things', bearer: 'Organization' } },
  { path: '/things', method: 'POST', rule: { scope: ['things', 'directory.organization'] } },
  { path: '/things/{id}', method: 'DELETE', rule: { scope: 'things', roles: ['owner'] } },
  { path: '/me', method: 'GET', rule: {} },
  { path: '/health', method: 'GET', rule: 'public' },
];

function operation(document: OpenAPIObject, path: string, method: 'get' | 'post' | 'delete') {
  const found: DocumentedOperation | undefined = document.paths[path][method];
  if (!found) throw new Error(`no ${method} ${path}`);
  return found;
}

function forbiddenExamples(op: DocumentedOperation): string[] {
  const forbidden = op.responses['403'] as ResponseObject | undefined;
  return Object.keys(forbidden?.content?.['application/json']?.examples ?? {});
}

describe('documentAccessRules', () => {
  const source = sourceDocument();
  const document = documentAccessRules(source, routes, options);

  it('writes the compiled rule into security, x-zaikio-access and the description', () => {
    const list = operation(document, '/things', 'get');
    const rule = compileRule({ scope: 'things', bearer: 'Organization' }, 'GET', 'warehouse');
    expect(list['x-zaikio-access']).toEqual(rule);
    // Signing in asks the hub for the scopes with their bearer, as Zaikio's hub expects them.
    expect(list.security).toEqual([
      { bearer: [] },
      { zaikio_oauth: ['Org.warehouse.things.r', 'Org.warehouse.things.rw'] },
    ]);
    expect(list.description).toContain('`warehouse.things.r`, `warehouse.things.rw`');
    expect(list.description).toContain('bearer: an Organization');
    const create = operation(document, '/things', 'post');
    expect(create.description).toMatch(/^Creates a thing\.\n\n\*\*Access:\*\* /);
    expect(create['x-zaikio-access']?.scopes).toEqual([
      'warehouse.things.w',
      'warehouse.things.rw',
      'directory.organization.w',
      'directory.organization.rw',
    ]);
    expect(operation(document, '/things/{id}', 'delete').description).toContain('one of owner');
    // Any bearer will do: both kinds of token may be asked for.
    expect(create.security?.[1]?.zaikio_oauth).toEqual([
      'Org.warehouse.things.w',
      'Org.warehouse.things.rw',
      'Org.directory.organization.w',
      'Org.directory.organization.rw',
      'Per.warehouse.things.w',
      'Per.warehouse.things.rw',
      'Per.directory.organization.w',
      'Per.directory.organization.rw',
    ]);
  });

  it('documents the errors a protected rule can produce, and keeps a route-specific response', () => {
    const list = operation(document, '/things', 'get');
    expect(Object.keys(list.responses).sort()).toEqual(['200', '401', '403', '422', '429', '503']);
    expect(forbiddenExamples(list)).toEqual(['unpermitted_scope', 'unpermitted_subject']);
    const create = operation(document, '/things', 'post');
    const unprocessable = create.responses['422'] as ResponseObject;
    expect(unprocessable.content?.['application/json'].examples).toEqual({
      invalid_fields: expect.objectContaining({
        value: { errors: { sku: ['sku has an invalid value'], colour: ['is not allowed'] } },
      }),
      body_not_an_object: expect.objectContaining({
        value: { errors: { body: ['must be a JSON object'] } },
      }),
    });
    expect(operation(document, '/things/{id}', 'delete').responses['403']).toEqual({
      description: 'custom',
    });
  });

  it('shows the scope sentence the guard sends', () => {
    const forbidden = operation(document, '/things', 'get').responses['403'] as ResponseObject;
    const examples = forbidden.content?.['application/json'].examples ?? {};
    expect(JSON.stringify(examples.unpermitted_scope)).toContain(
      'This endpoint requires one of the following scopes: warehouse.things.r, warehouse.things.rw',
    );
  });

  it('documents no 403 when a valid token always passes, nor 422 without a body or query', () => {
    const me = operation(document, '/me', 'get');
    expect(Object.keys(me.responses).sort()).toEqual(['200', '401', '429', '503']);
    expect(me.security).toEqual([{ bearer: [] }, { zaikio_oauth: [] }]);
    expect(me.description).toContain('any valid access token');
  });

  it('marks public routes with an empty security list and no auth errors', () => {
    const health = operation(document, '/health', 'get');
    expect(health.security).toEqual([]);
    expect(health['x-zaikio-access']).toBeUndefined();
    expect(Object.keys(health.responses)).toEqual(['200']);
    expect(health.description).toContain('public');
  });

  it('lists the schemes: pasted bearer tokens and the hub OAuth flow with every used scope', () => {
    const schemes = document.components?.securitySchemes ?? {};
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.zaikio_oauth).toMatchObject({
      type: 'oauth2',
      flows: {
        authorizationCode: {
          authorizationUrl: 'https://hub.example/oauth/authorize',
          tokenUrl: 'https://hub.example/oauth/access_token',
          scopes: {
            'Org.warehouse.things.r': 'Read things, as an organization',
            'Org.warehouse.things.w': 'Write things (create, change, delete), as an organization',
            'Per.warehouse.things.rw': 'Read and write things, as a person',
            'Org.directory.organization.w':
              'Write organization (create, change, delete) (a scope of the app directory), as an organization',
          },
        },
      },
    });
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['Thing', 'ZaikioError', 'ZaikioValidationErrors']),
    );
  });

  it('lists scopes by resource, then r, w, rw', () => {
    const oauth = document.components?.securitySchemes?.zaikio_oauth;
    const scopes = oauth && 'flows' in oauth ? oauth.flows?.authorizationCode?.scopes : {};
    expect(Object.keys(scopes ?? {})).toEqual([
      'Org.directory.organization.w',
      'Org.directory.organization.rw',
      'Org.warehouse.things.r',
      'Org.warehouse.things.w',
      'Org.warehouse.things.rw',
      'Per.directory.organization.w',
      'Per.directory.organization.rw',
      'Per.warehouse.things.w',
      'Per.warehouse.things.rw',
    ]);
  });

  it('leaves its input alone', () => {
    expect(source).toEqual(sourceDocument());
  });

  it('refuses to document an operation no route rule covers', () => {
    expect(() => documentAccessRules(sourceDocument(), routes.slice(1), options)).toThrow(
      'No access rule found for GET /things',
    );
  });
});

describe('scopeMeaning', () => {
  it('reads permissions and snake_case names', () => {
    expect(scopeMeaning('warehouse.stock_levels.r', 'warehouse')).toBe('Read stock levels');
  });

  it('says which bearer a prefixed scope asks for', () => {
    expect(scopeMeaning('Per.warehouse.settings.rw', 'warehouse')).toBe(
      'Read and write settings, as a person',
    );
    expect(scopeMeaning('Org.directory.sites.r', 'warehouse')).toBe(
      'Read sites (a scope of the app directory), as an organization',
    );
  });
});
