/**
 * Pagination response headers (Current-Page, Total-Count, Total-Pages, Link), as a pure function
 * so controllers only pass in what they know. Page numbers start at 1.
 */
export interface PaginationInput {
  /** Absolute URL of the collection without query string, e.g. `https://host/api/v1/items`. */
  readonly baseUrl: string;
  readonly page: number;
  readonly perPage: number;
  readonly totalCount: number;
}

/**
 * An empty collection still has one (empty) page, so Total-Pages is at least 1 and the `last`
 * link always points at a page that exists.
 */
export function totalPages(totalCount: number, perPage: number): number {
  return Math.max(1, Math.ceil(totalCount / perPage));
}

export function paginationHeaders(input: PaginationInput): Record<string, string> {
  const { page, perPage, totalCount } = input;
  const last = totalPages(totalCount, perPage);
  const links: Array<[rel: string, page: number]> = [['first', 1]];
  // Past the end, `prev` leads back to the last real page rather than to another empty one.
  if (page > 1) links.push(['prev', Math.min(page - 1, last)]);
  if (page < last) links.push(['next', page + 1]);
  links.push(['last', last]);

  return {
    'Current-Page': String(page),
    'Total-Count': String(totalCount),
    'Total-Pages': String(last),
    // RFC 8288: comma-separated link-values with quoted relation types.
    Link: links.map(([rel, target]) => `<${pageUrl(input, target)}>; rel="${rel}"`).join(', '),
  };
}

function pageUrl({ baseUrl, perPage }: PaginationInput, page: number): string {
  const url = new URL(baseUrl);
  url.search = new URLSearchParams({ page: String(page), per_page: String(perPage) }).toString();
  return url.toString();
}

// Host names, IPv4, bracketed IPv6, optional port: no userinfo, path or query can ride along.
const HOST = /^[a-z0-9.\-_~%[\]:]+$/i;

/**
 * Absolute URL of the current request's path, without query string (Link targets must be
 * absolute). Only the path is taken from the request URL, so it cannot point at another host; an
 * odd Host header or protocol degrades to http://localhost instead of failing the request.
 */
export function collectionUrl(protocol: string, host: string | undefined, requestUrl: string) {
  const scheme = protocol === 'https' ? 'https' : 'http';
  let url: URL;
  try {
    url = new URL(`${scheme}://${host !== undefined && HOST.test(host) ? host : 'localhost'}`);
  } catch {
    url = new URL(`${scheme}://localhost`);
  }
  url.pathname = requestUrl.split('?', 1)[0];
  return url.toString();
}
