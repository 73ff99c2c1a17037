import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type {
  HeaderObject,
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { ERROR_SCHEMA } from '../docs/error-schemas';

/** One HTTP answer as it left the server (or reached a client), with the request it answers. */
export interface Exchange {
  readonly method: string;
  /** Path and query as requested, e.g. `/api/v1/items?page=2`. */
  readonly url: string;
  readonly status: number;
  /** Header names in any case; values as sent. */
  readonly headers: Readonly<Record<string, string | readonly string[] | number | undefined>>;
  /** The body as text; empty for none. */
  readonly body: string;
}

/**
 * Paths the server serves on purpose outside the API document: Swagger UI, the document itself,
 * the manifest and logo, and the Prometheus endpoint. Their answers are not API operations.
 */
export const OUTSIDE_THE_API: readonly RegExp[] = [/^\/docs(\/|$)/i, /^\/metrics\/?$/i];

const OPENAPI_ANNOTATIONS = ['example', 'externalDocs', 'xml', 'discriminator'];
type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch';
const COMPONENTS_ID = 'components.json';

interface PathMatcher {
  readonly path: string;
  readonly pattern: RegExp;
  /** Literal segments rank before templated ones, as routers pick `/a/b` over `/a/{x}`. */
  readonly literal: boolean;
}

/**
 * Checks answers against an OpenAPI 3.0 document (as @nestjs/swagger emits it) with ajv: the
 * status must be documented for the operation, the body must match its schema (types, nullable,
 * required members, enums, formats, bounds; objects with named members may carry no others) and
 * the headers must be present when documented as required and match their schema when sent.
 * A request outside the documented operations must be a 404 or 405 in the error body the
 * document's ERROR_SCHEMA (`ZaikioError`) describes, unless its path is one of OUTSIDE_THE_API.
 */
export class ApiContract {
  private readonly ajv: Ajv;
  private readonly paths: PathMatcher[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenAPIObject) {
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    addFormats(this.ajv);
    addOpenApiFormats(this.ajv);
    this.ajv.addVocabulary(OPENAPI_ANNOTATIONS);
    const schemas = document.components?.schemas ?? {};
    const definitions = Object.fromEntries(
      Object.entries(schemas).map(([name, schema]) => [name, toJsonSchema(schema)]),
    );
    this.ajv.addSchema({ $id: COMPONENTS_ID, definitions });
    this.paths = Object.keys(document.paths).map(pathMatcher);
    // Most specific first: `/health/live` before a hypothetical `/health/{x}`.
    this.paths.sort((a, b) => Number(b.literal) - Number(a.literal));
  }

  /** Every way `exchange` breaks the document; empty when it holds. */
  check(exchange: Exchange): string[] {
    const path = pathOf(exchange.url);
    const method = exchange.method.toLowerCase();
    const matched = this.paths.find((candidate) => candidate.pattern.test(path));
    // HEAD is answered by the GET route (no body).
    const operationMethod = method === 'head' ? 'get' : method;
    const operation: OperationObject | undefined = matched
      ? this.document.paths[matched.path]?.[operationMethod as Method]
      : undefined;
    if (!matched || !operation) return this.checkOutside(exchange, path);
    const where = `${operationMethod.toUpperCase()} ${matched.path}`;
    const response = this.responseFor(operation, exchange.status);
    if (!response) {
      const documented = Object.keys(operation.responses).join(', ');
      return [`${where}: status ${exchange.status} is not documented (documented: ${documented})`];
    }
    const pointer = `${where} ${exchange.status}`;
    return [
      ...this.checkHeaders(pointer, response, exchange),
      ...(method === 'head' ? [] : this.checkBody(pointer, response, exchange)),
    ];
  }

  private checkOutside(exchange: Exchange, path: string): string[] {
    if (OUTSIDE_THE_API.some((pattern) => pattern.test(path))) return [];
    const where = `${exchange.method.toUpperCase()} ${path} (not an API operation)`;
    if (exchange.status !== 404 && exchange.status !== 405) {
      return [`${where}: answered ${exchange.status}; only 404 or 405 may answer it`];
    }
    const error: ResponseObject = {
      description: 'Not an API operation',
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
    };
    return this.checkBody(`${where} ${exchange.status}`, error, exchange);
  }

  private responseFor(operation: OperationObject, status: number): ResponseObject | undefined {
    const documented =
      operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`];
    return documented ? this.resolve<ResponseObject>(documented) : undefined;
  }

  private checkHeaders(where: string, response: ResponseObject, exchange: Exchange): string[] {
    const problems: string[] = [];
    const sent = lowerCaseKeys(exchange.headers);
    for (const [name, declared] of Object.entries(response.headers ?? {})) {
      const header = this.resolve<HeaderObject>(declared);
      const value = sent[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`${where}: required header ${name} is missing`);
        continue;
      }
      if (!header.schema) continue;
      const validate = this.validator(`${where} header ${name}`, header.schema);
      const typed = headerValue(headerText(value), header.schema);
      if (!validate(typed)) {
        problems.push(`${where}: header ${name}: ${JSON.stringify(value)} ${describe(validate)}`);
      }
    }
    return problems;
  }

  private checkBody(where: string, response: ResponseObject, exchange: Exchange): string[] {
    const content = response.content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      return exchange.body.length === 0
        ? []
        : [`${where}: documented without a body, but one was sent (${exchange.body.length} bytes)`];
    }
    const sentType = lowerCaseKeys(exchange.headers)['content-type'];
    const contentType = sentType === undefined ? '' : headerText(sentType);
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    const documented = mediaTypes.find((candidate) => mediaTypeMatches(candidate, mediaType));
    if (!documented) {
      return [
        `${where}: content type "${contentType}" is not documented (${mediaTypes.join(', ')})`,
      ];
    }
    const schema = content[documented].schema;
    if (!schema || !/json/.test(documented)) return [];
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return [`${where}: the body is not JSON: ${JSON.stringify(exchange.body.slice(0, 200))}`];
    }
    const validate = this.validator(`${where} ${documented}`, schema);
    return validate(body) ? [] : [`${where}: body ${describe(validate)}`];
  }

  private validator(key: string, schema: SchemaObject | ReferenceObject): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Follows a `#/components/...` reference within the document. */
  private resolve<T>(value: T | ReferenceObject): T {
    if (!value || typeof value !== 'object' || !('$ref' in value)) return value;
    const found = value.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key],
        this.document,
      );
    if (found === undefined) throw new Error(`unresolved reference ${value.$ref}`);
    return this.resolve(found as T | ReferenceObject);
  }
}

/**
 * An OpenAPI 3.0 schema as ajv reads it: component references point into the components schema,
 * and an object that names its members is closed (the document must name every member sent).
 * `nullable` is understood by ajv itself.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const source = schema as Record<string, unknown>;
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') {
      converted.$ref = value.replace('#/components/schemas/', `${COMPONENTS_ID}#/definitions/`);
    } else if (key === 'properties' || key === 'definitions') {
      converted[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, member]) => [
          name,
          toJsonSchema(member),
        ]),
      );
    } else {
      converted[key] = toJsonSchema(value);
    }
  }
  const composed = ['allOf', 'anyOf', 'oneOf'].some((key) => key in source);
  if ('properties' in source && !('additionalProperties' in source) && !composed) {
    converted.additionalProperties = false;
  }
  return converted;
}

/** OpenAPI's numeric formats (ajv-formats knows the string ones). */
function addOpenApiFormats(ajv: Ajv): void {
  const inRange = (bits: number) => (value: number) =>
    Number.isInteger(value) && value >= -(2 ** (bits - 1)) && value < 2 ** (bits - 1);
  ajv.addFormat('int32', { type: 'number', validate: inRange(32) });
  ajv.addFormat('int64', {
    type: 'number',
    validate: (value: number) => Number.isSafeInteger(value),
  });
  ajv.addFormat('float', { type: 'number', validate: (value: number) => Number.isFinite(value) });
  ajv.addFormat('double', { type: 'number', validate: (value: number) => Number.isFinite(value) });
}

function pathMatcher(path: string): PathMatcher {
  const source = path
    .split('/')
    .map((segment) =>
      /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  // Express routes case-insensitively and ignores one trailing slash; so does the match here.
  return { path, pattern: new RegExp(`^${source}/?$`, 'i'), literal: !path.includes('{') };
}

function pathOf(url: string): string {
  const path = url.split(/[?#]/)[0];
  return path.startsWith('/') ? path : new URL(path).pathname;
}

function mediaTypeMatches(documented: string, sent: string): boolean {
  if (documented === sent || documented === '*/*') return true;
  return documented.endsWith('/*') && sent.startsWith(documented.slice(0, -1));
}

type HeaderValue = string | readonly string[] | number;

function lowerCaseKeys(headers: Exchange['headers']): Record<string, HeaderValue | undefined> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/** A header as one line of text, as a client reads it (repeated values joined by commas). */
function headerText(value: HeaderValue): string {
  return typeof value === 'object' ? value.join(', ') : String(value);
}

/** Header values are text: a header documented as a number is compared as one. */
function headerValue(value: string, schema: SchemaObject | ReferenceObject): unknown {
  const type = 'type' in schema ? schema.type : undefined;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) {
    return Number(value);
  }
  return value;
}

function describe(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((error) => {
      const at = error.instancePath || '(root)';
      const detail =
        error.keyword === 'additionalProperties' || error.keyword === 'enum'
          ? ` ${JSON.stringify(error.params)}`
          : '';
      return `${at} ${error.message ?? ''}${detail}`;
    })
    .join('; ');
}
