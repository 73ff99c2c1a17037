import {
  AppConfig,
  EventsConfig,
  LOG_LEVELS,
  RateLimitConfig,
  ZAIKIO_ENVIRONMENTS,
  ZaikioEnvironment,
} from './app-config';

/** Thrown when the environment is invalid; its message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

const REAL_HUBS: Partial<Record<ZaikioEnvironment, string>> = {
  sandbox: 'https://hub.sandbox.zaikio.com',
  production: 'https://hub.zaikio.com',
};

const REAL_LOOMS: Partial<Record<ZaikioEnvironment, string>> = {
  sandbox: 'https://loom.sandbox.zaikio.com',
  production: 'https://loom.zaikio.com',
};

const APP_NAME = /^[a-z][a-z0-9_]{2,}$/;
const CREDENTIALS_NAME = /^[A-Za-z0-9_-]{1,4}$/;

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw.replace(/\/+$/, '');
}

function audiences(env: Env, appName: string): string[] {
  const raw = read(env, 'ZAIKIO_AUDIENCES');
  if (raw === undefined) return [appName];
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [app, credentials, ...rest] = entry.split('/');
    const valid =
      APP_NAME.test(app) &&
      rest.length === 0 &&
      (credentials === undefined || CREDENTIALS_NAME.test(credentials));
    if (!valid) {
      throw new ConfigError(
        'ZAIKIO_AUDIENCES',
        `entry "${entry}" must read "app" or "app/credentials_name" (credentials name 1-4 characters)`,
      );
    }
  }
  return [...new Set(entries)];
}

const REDIS_KEY_PREFIX = /^[A-Za-z0-9_:.-]{1,64}$/;

function redisKeyPrefix(env: Env, appName: string): string {
  const prefix = read(env, 'REDIS_KEY_PREFIX') ?? `${appName}:`;
  if (!REDIS_KEY_PREFIX.test(prefix)) {
    throw new ConfigError(
      'REDIS_KEY_PREFIX',
      `must be 1-64 letters, digits or _ : . - characters, got "${prefix}"`,
    );
  }
  return prefix;
}

function rateLimit(env: Env): RateLimitConfig | null {
  const limit = integer(env, 'RATE_LIMIT', 600, 0, 1_000_000);
  const windowSeconds = integer(env, 'RATE_LIMIT_WINDOW', 60, 1, 86_400);
  return limit === 0 ? null : { limit, windowSeconds };
}

/**
 * EVENTS=off publishes nothing. Otherwise Loom is the environment's (sandbox, production), the one
 * LOOM_URL names, or in development and test an embedded stand-in (which needs no password). Real
 * Loom needs the event password, and events must link to where other apps reach this API.
 */
function events(env: Env, zaikioEnv: ZaikioEnvironment, port: number): EventsConfig | null {
  if (oneOf(env, 'EVENTS', ['on', 'off'] as const, 'on') === 'off') return null;
  const loomUrl = url(env, 'LOOM_URL', ['http:', 'https:']) ?? REAL_LOOMS[zaikioEnv] ?? null;
  const password = read(env, 'ZAIKIO_EVENT_PASSWORD') ?? null;
  if (loomUrl !== null && password === null) {
    throw new ConfigError(
      'ZAIKIO_EVENT_PASSWORD',
      `is required to post events to ${loomUrl} (or set EVENTS=off)`,
    );
  }
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']);
  if (publicUrl === undefined && REAL_LOOMS[zaikioEnv] !== undefined) {
    throw new ConfigError(
      'PUBLIC_URL',
      `is required when ZAIKIO_ENV=${zaikioEnv}: events link to the API (or set EVENTS=off)`,
    );
  }
  return {
    loomUrl,
    password,
    publicUrl: publicUrl ?? `http://localhost:${port}`,
    staleAfterSeconds: integer(env, 'EVENTS_STALE_AFTER', 300, 1, 86_400),
    ...eventDelivery(env),
  };
}

/** The dispatcher's knobs; a lease must outlast a POST, or a slow send would be sent twice. */
function eventDelivery(env: Env) {
  const retryBaseMs = integer(env, 'EVENTS_RETRY_BASE_MS', 1_000, 1, 3_600_000);
  const retryMaxMs = integer(env, 'EVENTS_RETRY_MAX_MS', 300_000, 1, 86_400_000);
  if (retryMaxMs < retryBaseMs) {
    throw new ConfigError(
      'EVENTS_RETRY_MAX_MS',
      `must be at least EVENTS_RETRY_BASE_MS (${retryBaseMs})`,
    );
  }
  const timeoutMs = integer(env, 'EVENTS_TIMEOUT_MS', 10_000, 1, 600_000);
  const leaseSeconds = integer(env, 'EVENTS_LEASE', 60, 1, 86_400);
  if (leaseSeconds * 1000 <= timeoutMs) {
    throw new ConfigError(
      'EVENTS_LEASE',
      `must be longer than EVENTS_TIMEOUT_MS (${timeoutMs} ms)`,
    );
  }
  return {
    retryBaseMs,
    retryMaxMs,
    timeoutMs,
    leaseSeconds,
    pollMs: integer(env, 'EVENTS_POLL_MS', 1_000, 1, 600_000),
    batchSize: integer(env, 'EVENTS_BATCH', 20, 1, 1_000),
    retentionSeconds: integer(env, 'EVENTS_RETENTION', 604_800, 0, 31_536_000),
  };
}

/**
 * The embedded development hub's port: stable (PORT + 1 by default), so that its URLs and the
 * redirect URIs registered with it survive restarts; 0 picks a free one.
 */
function devHubPort(env: Env, port: number): number {
  const fallback = port > 0 && port < 65535 ? port + 1 : 0;
  const hubPort = integer(env, 'DEV_HUB_PORT', fallback, 0, 65535);
  if (hubPort !== 0 && hubPort === port) {
    throw new ConfigError('DEV_HUB_PORT', `must differ from PORT (${port})`);
  }
  return hubPort;
}

/** Parses the process environment once; throws ConfigError naming the first bad variable. */
export function parseConfig(env: Env): AppConfig {
  const zaikioEnv = oneOf(env, 'ZAIKIO_ENV', ZAIKIO_ENVIRONMENTS, 'development');
  const appName = read(env, 'ZAIKIO_APP_NAME') ?? 'warehouse';
  if (!APP_NAME.test(appName)) {
    throw new ConfigError(
      'ZAIKIO_APP_NAME',
      `must match ${APP_NAME.source} (lower-case letters, digits, underscore), got "${appName}"`,
    );
  }
  const hubUrl = url(env, 'ZAIKIO_HUB_URL', ['http:', 'https:']) ?? REAL_HUBS[zaikioEnv] ?? null;
  if (hubUrl === null && zaikioEnv === 'test') {
    throw new ConfigError('ZAIKIO_HUB_URL', 'is required when ZAIKIO_ENV=test');
  }
  const port = integer(env, 'PORT', 3000, 0, 65535);
  return {
    port,
    zaikioEnv,
    hubUrl,
    appName,
    audiences: audiences(env, appName),
    personalTokens: oneOf(
      env,
      'ZAIKIO_PERSONAL_TOKENS',
      ['allow', 'deny'] as const,
      zaikioEnv === 'production' ? 'deny' : 'allow',
    ),
    clockToleranceSeconds: integer(env, 'ZAIKIO_CLOCK_TOLERANCE', 30, 0, 300),
    webhookSecret: read(env, 'ZAIKIO_WEBHOOK_SECRET') ?? null,
    dataDir: read(env, 'DATA_DIR') ?? './data',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']) ?? null,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']) ?? null,
    redisKeyPrefix: redisKeyPrefix(env, appName),
    rateLimit: rateLimit(env),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    metricsToken: read(env, 'METRICS_TOKEN') ?? null,
    shutdownTimeoutSeconds: integer(env, 'SHUTDOWN_TIMEOUT', 25, 1, 3_600),
    events: events(env, zaikioEnv, port),
    devHubPort: devHubPort(env, port),
    requestBatching: oneOf(env, 'REQUEST_BATCHING', ['on', 'off'] as const, 'on') === 'on',
  };
}
