import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
  SecuritySchemeObject,
} from '@nestjs/swagger';
import { AccessRuleOptions, CompiledRule, compileRule } from '../zaikio';
import {
  errorComponents,
  forbiddenResponse,
  RATE_LIMIT_HEADERS,
  tooManyRequestsRef,
  unauthorizedRef,
  unavailableRef,
  validationResponse,
} from './error-schemas';
import { requestableScopesOf, splitBearerPrefix } from './requestable-scopes';

/** One route as the guard sees it: OpenAPI path (`/api/v1/items/{id}`), HTTP method, rule. */
export interface RouteAccess {
  readonly path: string;
  readonly method: string;
  readonly rule: AccessRuleOptions | 'public';
}

export interface AccessDocsOptions {
  readonly appName: string;
  /** The hub that runs the OAuth flows, without trailing slash. */
  readonly hubUrl: string;
}

/** What `x-zaikio-access` holds: the compiled rule, exactly what the guard enforces. */
export type ZaikioAccessExtension = CompiledRule;
export type DocumentedOperation = OperationObject & { 'x-zaikio-access'?: ZaikioAccessExtension };

export const BEARER_SCHEME = 'bearer';
export const OAUTH_SCHEME = 'zaikio_oauth';
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/**
 * Returns a copy of `document` where every operation states its whole access rule (security,
 * `x-zaikio-access`, a sentence in the description) and the errors that rule can produce. The
 * rules come from the routes, never from the document, so the docs cannot claim what the guard
 * does not enforce. An operation without a route rule is a bug and throws.
 */
export function documentAccessRules(
  source: OpenAPIObject,
  routes: readonly RouteAccess[],
  options: AccessDocsOptions,
): OpenAPIObject {
  const document = structuredClone(source);
  const byKey = new Map<string, RouteAccess>();
  for (const route of routes) {
    const key = routeKey(route.method, route.path);
    // Express serves the first route registered for a path and method; so do the docs.
    if (!byKey.has(key)) byKey.set(key, route);
  }
  const scopes = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation: DocumentedOperation | undefined = item[method];
      if (!operation) continue;
      const route = byKey.get(routeKey(method, path));
      if (!route) {
        throw new Error(`No access rule found for ${method.toUpperCase()} ${path} (docs)`);
      }
      if (route.rule === 'public') {
        documentPublic(operation);
        continue;
      }
      const rule = compileRule(route.rule, method.toUpperCase(), options.appName);
      requestableScopesOf(rule).forEach((scope) => scopes.add(scope));
      documentProtected(operation, rule, document);
    }
  }
  const shared = errorComponents();
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...shared.schemas },
    responses: { ...document.components?.responses, ...shared.responses },
    securitySchemes: {
      ...document.components?.securitySchemes,
      ...securitySchemes(
        options.hubUrl,
        [...scopes].sort(byResourceThenPermission),
        options.appName,
      ),
    },
  };
  return document;
}

const PERMISSION_ORDER = ['r', 'w', 'rw'];

/**
 * `Org.items.r`, `Org.items.w`, `Org.items.rw`, then the next resource (or bearer): the order
 * people read them in.
 */
function byResourceThenPermission(a: string, b: string): number {
  const split = (scope: string) => {
    const dot = scope.lastIndexOf('.');
    return [scope.slice(0, dot), PERMISSION_ORDER.indexOf(scope.slice(dot + 1))] as const;
  };
  const [resourceA, permissionA] = split(a);
  const [resourceB, permissionB] = split(b);
  return resourceA.localeCompare(resourceB) || permissionA - permissionB;
}

function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

function documentPublic(operation: DocumentedOperation): void {
  operation.security = [];
  delete operation['x-zaikio-access'];
  appendDescription(operation, '**Access:** public, no access token needed.');
}

function documentProtected(
  operation: DocumentedOperation,
  rule: CompiledRule,
  document: OpenAPIObject,
): void {
  // The OAuth requirement names the scopes as they are requested at the hub (with the bearer).
  operation.security = [{ [BEARER_SCHEME]: [] }, { [OAUTH_SCHEME]: requestableScopesOf(rule) }];
  operation['x-zaikio-access'] = {
    scopes: [...rule.scopes],
    bearer: rule.bearer,
    roles: [...rule.roles],
  };
  appendDescription(operation, `**Access:** ${describeRule(rule)}.`);
  // A response the controller documents itself is more specific than ours: keep it.
  const responses = operation.responses;
  responses['401'] ??= unauthorizedRef();
  const forbidden = forbiddenResponse(rule);
  if (forbidden) responses['403'] ??= forbidden;
  const field = validatedField(operation, document);
  if (field !== null) {
    responses['422'] ??= validationResponse(field, operation.requestBody !== undefined);
  }
  responses['429'] ??= tooManyRequestsRef();
  responses['503'] ??= unavailableRef();
  documentRateLimitHeaders(responses);
}

/** The answers sent after the rate-limit guard let the request through carry its headers. */
function documentRateLimitHeaders(responses: OperationObject['responses']): void {
  for (const [status, response] of Object.entries(responses)) {
    const passedTheGuards = /^2/.test(status) || status === '404' || status === '422';
    if (!passedTheGuards || !response || '$ref' in response) continue;
    response.headers = { ...RATE_LIMIT_HEADERS, ...response.headers };
  }
}

/** The rule in one sentence, for people reading the operation in Swagger UI. */
export function describeRule(rule: CompiledRule): string {
  const parts = [
    rule.scopes.length > 0
      ? `a token with any of the scopes ${rule.scopes.map((scope) => `\`${scope}\``).join(', ')}`
      : 'any valid access token for this app, no scope needed',
    {
      Organization: 'bearer: an Organization (an on-behalf token counts)',
      Person: 'bearer: a Person (or an on-behalf token, as its person)',
      none: 'bearer: an Organization or a Person',
    }[rule.bearer ?? 'none'],
  ];
  if (rule.roles.length > 0) {
    parts.push(
      `roles: the person of an on-behalf token needs one of ${rule.roles.join(', ')} ` +
        '(an organization acting alone passes, a Person token does not)',
    );
  }
  return parts.join('; ');
}

function appendDescription(operation: OperationObject, line: string): void {
  operation.description = operation.description ? `${operation.description}\n\n${line}` : line;
}

/** A field the validation pipe checks for this operation (query or body), or null if none. */
function validatedField(operation: OperationObject, document: OpenAPIObject): string | null {
  const query = (operation.parameters ?? []).find(
    (parameter): parameter is ParameterObject => 'in' in parameter && parameter.in === 'query',
  );
  if (query) return query.name;
  const body = operation.requestBody;
  if (!body || '$ref' in body) return body ? 'body' : null;
  const schema = resolve(body.content['application/json']?.schema, document);
  return Object.keys(schema?.properties ?? {})[0] ?? 'body';
}

function resolve(
  schema: SchemaObject | ReferenceObject | undefined,
  document: OpenAPIObject,
): SchemaObject | undefined {
  if (!schema || !('$ref' in schema)) return schema;
  const found = document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
  return found && !('$ref' in found) ? found : undefined;
}

/**
 * Bearer (paste a token) and the hub's authorization-code flow with every scope a route uses, in
 * the prefixed form the hub expects (`Org.warehouse.items.r`; without a prefix it means `Per.`).
 */
export function securitySchemes(
  hubUrl: string,
  scopes: readonly string[],
  appName: string,
): Record<string, SecuritySchemeObject> {
  return {
    [BEARER_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Paste a Zaikio access token, e.g. a private access token from the hub.',
    },
    [OAUTH_SCHEME]: {
      type: 'oauth2',
      description:
        'Sign in at the Zaikio hub. Each scope carries the bearer it is requested for: ' +
        '`Org.` an organization token (you pick the organization at the hub), `Per.` a person ' +
        'token. Choose scopes of one kind per sign-in.',
      flows: {
        authorizationCode: {
          authorizationUrl: `${hubUrl}/oauth/authorize`,
          tokenUrl: `${hubUrl}/oauth/access_token`,
          scopes: Object.fromEntries(scopes.map((scope) => [scope, scopeMeaning(scope, appName)])),
        },
      },
    },
  };
}

const MEANINGS: Record<string, (what: string) => string> = {
  r: (what) => `Read ${what}`,
  w: (what) => `Write ${what} (create, change, delete)`,
  rw: (what) => `Read and write ${what}`,
};

const AS_BEARER: Readonly<Record<string, string>> = {
  Org: 'as an organization',
  Per: 'as a person',
};

/**
 * `Org.warehouse.items.w` → "Write items (create, change, delete), as an organization"; another
 * app's scope says whose.
 */
export function scopeMeaning(scope: string, appName: string): string {
  const [prefix, unprefixed] = splitBearerPrefix(scope);
  const [app, name = unprefixed, permission = ''] = unprefixed.split('.');
  const what = (MEANINGS[permission] ?? ((resource: string) => `Use ${resource}`))(
    name.replace(/_/g, ' '),
  );
  const whose = app === appName ? what : `${what} (a scope of the app ${app})`;
  return prefix === null ? whose : `${whose}, ${AS_BEARER[prefix]}`;
}
