import type { HeaderObject, OpenAPIObject, ParameterObject, ResponseObject } from '@nestjs/swagger';

/**
 * Zaikio's list conventions, filled in wherever a GET takes `page` and `per_page`: those two
 * parameters explained, and the pagination headers on its success response. What a controller
 * already documents is kept; this only closes gaps, so no list can forget them.
 */
export const PAGINATION_HEADERS: Readonly<Record<string, HeaderObject>> = {
  'Current-Page': {
    description: 'The page returned, from 1.',
    required: true,
    schema: { type: 'integer', format: 'int32', minimum: 1 },
  },
  'Total-Count': {
    description: 'Entries in all pages together.',
    required: true,
    schema: { type: 'integer', format: 'int64', minimum: 0 },
  },
  'Total-Pages': {
    description: 'Number of pages, at least 1.',
    required: true,
    schema: { type: 'integer', format: 'int32', minimum: 1 },
  },
  Link: {
    description: 'RFC 8288 links to the first, prev, next and last pages.',
    required: true,
    schema: { type: 'string' },
    example: '<https://example.com/api/v1/items?page=2&per_page=25>; rel="next"',
  },
};

const PARAMETER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  page: 'Page number, from 1.',
  per_page: 'Entries per page (default 100).',
};

/** A page holds at most `per_page`'s maximum entries: its array says so (maxItems). */
function capPage(success: ResponseObject, perPage: ParameterObject | undefined): void {
  const maximum =
    perPage?.schema && 'maximum' in perPage.schema ? perPage.schema.maximum : undefined;
  if (maximum === undefined) return;
  for (const media of Object.values(success.content ?? {})) {
    const schema = media.schema;
    if (schema && !('$ref' in schema) && schema.type === 'array') schema.maxItems ??= maximum;
  }
}

/** Returns a copy of `source` with pagination documented on every list operation. */
export function documentPagination(source: OpenAPIObject): OpenAPIObject {
  const document = structuredClone(source);
  for (const item of Object.values(document.paths)) {
    const operation = item.get;
    if (!operation) continue;
    const query = (operation.parameters ?? []).filter(
      (parameter): parameter is ParameterObject => 'in' in parameter && parameter.in === 'query',
    );
    const names = new Set(query.map((parameter) => parameter.name));
    if (!names.has('page') || !names.has('per_page')) continue;
    for (const parameter of query) {
      parameter.description ??= PARAMETER_DESCRIPTIONS[parameter.name];
    }
    const success = operation.responses['200'];
    if (!success || '$ref' in success) continue;
    success.headers = { ...PAGINATION_HEADERS, ...success.headers };
    capPage(
      success,
      query.find((parameter) => parameter.name === 'per_page'),
    );
  }
  return document;
}
