/** Everything the Zaikio auth module needs; the application maps its own configuration onto it. */
export interface ZaikioAuthOptions {
  /** Hub base URL without trailing slash, e.g. https://hub.sandbox.zaikio.com */
  readonly hubUrl: string;
  /** This app's technical name: the `<app>` of its scopes and the realm of its challenges. */
  readonly appName: string;
  /** Accepted `aud` entries: `app` (any credentials name) or `app/cred` (exactly that pair). */
  readonly audiences: readonly string[];
  /** Whether private access tokens (`aud` empty, missing, or exactly the bearer) are accepted. */
  readonly personalTokens: 'allow' | 'deny';
  readonly clockToleranceSeconds: number;
  /** Loom shared secret; null makes the webhook refuse everything. */
  readonly webhookSecret: string | null;
  /** Tuning knobs; the defaults suit production, tests shorten them. */
  readonly hubTimeoutMs?: number;
  readonly hubMaxResponseBytes?: number;
  readonly keyRefreshIntervalMs?: number;
  /** Least time between two key fetch starts (a token no loaded key verifies asks for one). */
  readonly keyFetchMinIntervalMs?: number;
  readonly revocationRefreshIntervalMs?: number;
  readonly rolesRefreshIntervalMs?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

export const ZAIKIO_AUTH_OPTIONS = Symbol('ZAIKIO_AUTH_OPTIONS');

const MINUTE = 60_000;

/** Defaults: keys refreshed every 30 min so the cache is never older than the hub's 1 h limit. */
export function withDefaults(options: ZaikioAuthOptions): Required<ZaikioAuthOptions> {
  return {
    hubTimeoutMs: 3_000,
    hubMaxResponseBytes: 1_000_000,
    keyRefreshIntervalMs: 30 * MINUTE,
    keyFetchMinIntervalMs: 5_000,
    revocationRefreshIntervalMs: 10 * MINUTE,
    rolesRefreshIntervalMs: 30 * MINUTE,
    retryMinMs: 1_000,
    retryMaxMs: 60_000,
    ...options,
  };
}
