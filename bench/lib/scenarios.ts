import { randomUUID } from 'node:crypto';
import type { ServerKind } from '../server/ipc';

/** The servers a run starts; several run the same kind with another environment. */
export type ServerId =
  'app' | 'app-2' | 'app-silent' | 'app-pg' | 'stock-in-app' | 'baseline' | 'items-twin';

export interface ServerSpec {
  readonly id: ServerId;
  readonly kind: ServerKind;
  /** Its database: the embedded one, or the private PostgreSQL of the run (null: none needed). */
  readonly database: 'embedded' | 'postgres' | null;
  /** Added to the production defaults (ZAIKIO_ENV=sandbox, parseConfig's defaults). */
  readonly env: Readonly<Record<string, string>>;
}

export const SERVERS: Readonly<Record<ServerId, ServerSpec>> = {
  app: { id: 'app', kind: 'app', database: 'embedded', env: {} },
  // A second, identical app server: --paired loads it at the same time as the first.
  'app-2': { id: 'app-2', kind: 'app', database: 'embedded', env: {} },
  'app-silent': {
    id: 'app-silent',
    kind: 'app',
    database: 'embedded',
    env: { LOG_LEVEL: 'silent' },
  },
  'app-pg': { id: 'app-pg', kind: 'app', database: 'postgres', env: {} },
  'stock-in-app': { id: 'stock-in-app', kind: 'stock-in-app', database: 'embedded', env: {} },
  baseline: { id: 'baseline', kind: 'baseline', database: null, env: {} },
  'items-twin': { id: 'items-twin', kind: 'items-twin', database: 'postgres', env: {} },
};

/** What every server's environment starts from: the README's production start, on the stand-in hub. */
export function productionEnvironment(hubUrl: string): Record<string, string> {
  return {
    ZAIKIO_ENV: 'sandbox',
    ZAIKIO_HUB_URL: hubUrl,
    ZAIKIO_WEBHOOK_SECRET: randomUUID(),
    // The measured routes change nothing, so they write no events; see BENCHMARKS.md.
    EVENTS: 'off',
  };
}

export type TokenKind = 'warm' | 'warm-kidless' | 'cold' | 'cold-kidless' | 'items';

export interface Scenario {
  readonly id: string;
  readonly label: string;
  readonly server: ServerId;
  readonly path: string;
  readonly tokens: TokenKind;
}

export const PUBLIC = 'public';
export const SILENT_PUBLIC = 'silent-public';
export const ITEMS_PAGE = 100;
export const PUBLISHED_KEYS = 3;

const TOKEN = '/api/v1/token';
const TWIN = '/bench/public/token';
const ITEMS = '/api/v1/items';

export const SCENARIOS: readonly Scenario[] = [
  {
    id: PUBLIC,
    label: 'GET /api/v1/token twin, @Public() (no auth)',
    server: 'app',
    path: TWIN,
    tokens: 'warm',
  },
  {
    id: 'warm',
    label: 'GET /api/v1/token, warm tokens (kid)',
    server: 'app',
    path: TOKEN,
    tokens: 'warm',
  },
  {
    id: 'cold',
    label: 'GET /api/v1/token, cold tokens (each new, kid)',
    server: 'app',
    path: TOKEN,
    tokens: 'cold',
  },
  {
    id: 'kidless-warm',
    label: `GET /api/v1/token, warm kid-less tokens, ${PUBLISHED_KEYS} keys`,
    server: 'app',
    path: TOKEN,
    tokens: 'warm-kidless',
  },
  {
    id: 'kidless-cold',
    label: `GET /api/v1/token, cold kid-less tokens, ${PUBLISHED_KEYS} keys`,
    server: 'app',
    path: TOKEN,
    tokens: 'cold-kidless',
  },
  {
    id: 'items',
    label: `GET /api/v1/items (page of ${ITEMS_PAGE}), embedded database`,
    server: 'app',
    path: ITEMS,
    tokens: 'items',
  },
  {
    id: 'items-pg',
    label: `GET /api/v1/items (page of ${ITEMS_PAGE}), PostgreSQL`,
    server: 'app-pg',
    path: ITEMS,
    tokens: 'items',
  },
  {
    id: 'items-twin',
    label: `BARE TWIN node:http + pg: the items page, PostgreSQL`,
    server: 'items-twin',
    path: ITEMS,
    tokens: 'items',
  },
  {
    id: SILENT_PUBLIC,
    label: 'LOG_LEVEL=silent: the public twin',
    server: 'app-silent',
    path: TWIN,
    tokens: 'warm',
  },
  {
    id: 'silent-warm',
    label: 'LOG_LEVEL=silent: warm tokens (kid)',
    server: 'app-silent',
    path: TOKEN,
    tokens: 'warm',
  },
  {
    id: 'silent-cold',
    label: 'LOG_LEVEL=silent: cold tokens (kid)',
    server: 'app-silent',
    path: TOKEN,
    tokens: 'cold',
  },
  {
    id: 'stock-in-app',
    label: 'BASELINE stock recipe inside this app (guard swapped), kid',
    server: 'stock-in-app',
    path: TOKEN,
    tokens: 'warm',
  },
  {
    id: 'baseline-public',
    label: 'BASELINE stock recipe, bare Nest app: public twin (no auth)',
    server: 'baseline',
    path: TWIN,
    tokens: 'warm',
  },
  {
    id: 'baseline',
    label: 'BASELINE stock recipe, bare Nest app: passport-jwt + jwks-rsa, kid',
    server: 'baseline',
    path: TOKEN,
    tokens: 'warm',
  },
];
