export const ZAIKIO_ENVIRONMENTS = ['development', 'test', 'sandbox', 'production'] as const;
export type ZaikioEnvironment = (typeof ZAIKIO_ENVIRONMENTS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Requests one caller (`<aud>/<sub>`) may make per window; limit 0 turns limiting off. */
export interface RateLimitConfig {
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * Publishing our own events to Loom (EVENTS=on, the default). Absent or null: no events are
 * written or sent.
 */
export interface EventsConfig {
  /** Loom base URL without trailing slash; null means "start the embedded stand-in Loom". */
  readonly loomUrl: string | null;
  /** The app's event password (HTTP Basic `<app name>:<password>`); null only with the stand-in. */
  readonly password: string | null;
  /** Base URL of this API as other apps reach it: events link to `<publicUrl>/api/v1/items/<id>`. */
  readonly publicUrl: string;
  /** GET /health reports the outbox as degraded once its oldest pending event is older. */
  readonly staleAfterSeconds: number;
  /** The dispatcher (see src/events/outbox-dispatcher.ts): */
  /** First retry delay; each further failure doubles it, up to retryMaxMs (then jittered). */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** How long one POST to Loom may take. */
  readonly timeoutMs: number;
  /** A claim expires after this, so a dead instance's events are sent by another. */
  readonly leaseSeconds: number;
  /** How often an idle dispatcher looks for due events (its own writes wake it at once). */
  readonly pollMs: number;
  /** Events (of different organizations) claimed and sent at once. */
  readonly batchSize: number;
  /** Delivered rows are deleted after this; dead letters stay. */
  readonly retentionSeconds: number;
}

/** The whole configuration, parsed and validated once at start-up (see parseConfig). */
export interface AppConfig {
  readonly port: number;
  readonly zaikioEnv: ZaikioEnvironment;
  /** Hub base URL without trailing slash; null means "start the embedded stand-in hub" (development only). */
  readonly hubUrl: string | null;
  readonly appName: string;
  /** Accepted `aud` entries: `app` (any credentials name) or `app/cred` (exactly that pair). */
  readonly audiences: readonly string[];
  readonly personalTokens: 'allow' | 'deny';
  readonly clockToleranceSeconds: number;
  readonly webhookSecret: string | null;
  readonly dataDir: string;
  /** postgres://… to use a PostgreSQL server instead of the embedded database. */
  readonly databaseUrl: string | null;
  /*
   * Running several instances and observing them. Optional so that hand-built configurations (tests,
   * tools) keep working; parseConfig always fills them in. Absent means: no Redis, no rate limit,
   * log level from the caller, metrics public.
   */
  /** redis://… shares revocations and rate-limit counters between instances. */
  readonly redisUrl?: string | null;
  /** Prefix of every Redis key and channel, so environments can share one Redis. */
  readonly redisKeyPrefix?: string;
  readonly rateLimit?: RateLimitConfig | null;
  readonly logLevel?: LogLevelName;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string | null;
  /** After SIGTERM/SIGINT, the process exits (code 1) if shutting down takes longer. */
  readonly shutdownTimeoutSeconds?: number;
  readonly events?: EventsConfig | null;
  /** Port of the embedded development hub (no ZAIKIO_HUB_URL); 0 picks a free one. */
  readonly devHubPort?: number;
  /**
   * REQUEST_BATCHING (on by default): the requests read in one turn of the event loop are handed
   * on together (src/common/request-batch.ts), for less CPU per request under load.
   */
  readonly requestBatching?: boolean;
}

/** Injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
