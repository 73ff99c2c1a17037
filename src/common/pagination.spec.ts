// Covers the pagination header builder: counts, page arithmetic and RFC 8288 Link values.
import { collectionUrl, paginationHeaders, totalPages } from './pagination';

const baseUrl = 'https://api.example.com/api/v1/items';
const link = (page: number, rel: string, perPage = 10) =>
  `<${baseUrl}?page=${page}&per_page=${perPage}>; rel="${rel}"`;

describe('paginationHeaders', () => {
  it('describes a middle page with all four links', () => {
    expect(paginationHeaders({ baseUrl, page: 2, perPage: 10, totalCount: 35 })).toEqual({
      'Current-Page': '2',
      'Total-Count': '35',
      'Total-Pages': '4',
      Link: [link(1, 'first'), link(1, 'prev'), link(3, 'next'), link(4, 'last')].join(', '),
    });
  });

  it('omits prev on the first page', () => {
    const { Link } = paginationHeaders({ baseUrl, page: 1, perPage: 10, totalCount: 35 });
    expect(Link).toBe([link(1, 'first'), link(2, 'next'), link(4, 'last')].join(', '));
  });

  it('omits next on the last page', () => {
    const { Link } = paginationHeaders({ baseUrl, page: 4, perPage: 10, totalCount: 35 });
    expect(Link).toBe([link(1, 'first'), link(3, 'prev'), link(4, 'last')].join(', '));
  });

  it('treats an empty collection as one empty page', () => {
    expect(paginationHeaders({ baseUrl, page: 1, perPage: 100, totalCount: 0 })).toEqual({
      'Current-Page': '1',
      'Total-Count': '0',
      'Total-Pages': '1',
      Link: [link(1, 'first', 100), link(1, 'last', 100)].join(', '),
    });
  });

  it('points prev at the last real page when asked for a page past the end', () => {
    const { Link } = paginationHeaders({ baseUrl, page: 9, perPage: 10, totalCount: 35 });
    expect(Link).toBe([link(1, 'first'), link(4, 'prev'), link(4, 'last')].join(', '));
  });
});

describe('totalPages', () => {
  it.each([
    [0, 10, 1],
    [1, 10, 1],
    [10, 10, 1],
    [11, 10, 2],
    [250, 100, 3],
  ])('%i items at %i per page make %i pages', (count, perPage, pages) => {
    expect(totalPages(count, perPage)).toBe(pages);
  });
});

describe('collectionUrl', () => {
  it('builds an absolute URL from protocol, host and path, dropping the query', () => {
    expect(collectionUrl('https', 'api.example.com:8443', '/api/v1/items?page=2&per_page=5')).toBe(
      'https://api.example.com:8443/api/v1/items',
    );
  });

  it.each([
    ['a missing host', undefined],
    ['userinfo', 'user@evil.example'],
    ['a path', 'evil.example/path'],
    ['an invalid port', 'host:port:1'],
  ])('falls back to localhost for %s', (_case, host) => {
    expect(collectionUrl('http', host, '/api/v1/items')).toBe('http://localhost/api/v1/items');
  });

  it('only emits http or https', () => {
    expect(collectionUrl('javascript', 'example.com', '/x')).toBe('http://example.com/x');
  });
});
