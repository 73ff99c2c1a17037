export const ZAIKIO_ENVIRONMENTS = ['development', 'test', 'sandbox', 'production'] as const;
export type ZaikioEnvironment = (typeof ZAIKIO_ENVIRONMENTS)[number];

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
}

/** Injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
