// Covers the pagination parameters and response headers added to list operations.
import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { documentPagination } from './list-docs';

function documentWith(parameters: string[], headers = {}): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        get: {
          parameters: parameters.map((name) => ({
            name,
            in: 'query',
            schema: { type: 'integer' },
          })),
          responses: { '200': { description: 'ok', headers } },
        },
      },
    },
  };
}

const successOf = (document: OpenAPIObject) =>
  document.paths['/things'].get?.responses['200'] as ResponseObject;

describe('documentPagination', () => {
  it('adds the four headers and explains page and per_page on a list', () => {
    const custom = { Link: { description: 'ours', schema: { type: 'string' } } };
    const document = documentPagination(documentWith(['page', 'per_page'], custom));
    expect(Object.keys(successOf(document).headers ?? {}).sort()).toEqual([
      'Current-Page',
      'Link',
      'Total-Count',
      'Total-Pages',
    ]);
    expect(successOf(document).headers?.Link).toEqual(custom.Link);
    expect(document.paths['/things'].get?.parameters).toEqual([
      expect.objectContaining({ name: 'page', description: 'Page number, from 1.' }),
      expect.objectContaining({ name: 'per_page', description: 'Entries per page (default 100).' }),
    ]);
  });

  it('leaves operations without both parameters alone', () => {
    const source = documentWith(['page']);
    expect(documentPagination(source)).toEqual(source);
  });
});
