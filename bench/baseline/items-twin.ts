/**
 * The bare twin of `GET /api/v1/items` (issue 17): node:http and pg, no Nest, no authentication,
 * logging, rate limit or metrics. It runs the statements the app's repository runs (Kysely's SQL
 * for ItemsRepository.list and count, verbatim), maps rows with the app's own toItemResponse, and
 * sends the same JSON and headers (pagination, X-Request-Id, a weak ETag as Express computes it),
 * so the difference in server CPU per request is what the framework and the app's middleware add.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { collectionUrl, paginationHeaders } from '../../src/common/pagination';
import type { ItemRow } from '../../src/database';
import { toItemResponse } from '../../src/items/dto/item-response.dto';
import type { ServableApp } from '../server/serve-over-ipc';

const LIST =
  'select * from "items" where "organization_id" = $1 order by "created_at", "id" limit $2 offset $3';
const COUNT = 'select count(*) as "count" from "items" where "organization_id" = $1';
const PER_PAGE = 100;

/** `W/"<length>-<sha1>"`, the weak ETag Express (its `etag` package) puts on every JSON body. */
function weakEtag(body: Buffer): string {
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return `W/"${body.length.toString(16)}-${hash}"`;
}

export function startItemsTwin(env: NodeJS.ProcessEnv): Promise<ServableApp> {
  const { DATABASE_URL: databaseUrl, ITEMS_TWIN_ORGANIZATION: organizationId } = env;
  if (!databaseUrl || !organizationId) {
    throw new Error('items twin: needs DATABASE_URL and ITEMS_TWIN_ORGANIZATION');
  }
  const pool = new Pool({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const [rows, count] = await Promise.all([
      pool.query<ItemRow>(LIST, [organizationId, PER_PAGE, 0]),
      pool.query<{ count: string }>(COUNT, [organizationId]),
    ]);
    const body = Buffer.from(JSON.stringify(rows.rows.map(toItemResponse)));
    const baseUrl = collectionUrl('http', req.headers.host, req.url ?? '/');
    const totalCount = Number(count.rows[0].count);
    res.writeHead(200, {
      'X-Request-Id': randomUUID(),
      ...paginationHeaders({ baseUrl, page: 1, perPage: PER_PAGE, totalCount }),
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(body.length),
      ETag: weakEtag(body),
    });
    res.end(body);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  return Promise.resolve({
    listen: (port, host) => new Promise<void>((resolve) => server.listen(port, host, resolve)),
    getHttpServer: () => server,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  });
}
