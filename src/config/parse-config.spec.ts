// Covers start-up configuration: defaults, validation, and one-line errors naming the variable.
import { ConfigError, parseConfig } from './parse-config';

function errorOf(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const DELIVERY_DEFAULTS = {
  retryBaseMs: 1_000,
  retryMaxMs: 300_000,
  timeoutMs: 10_000,
  leaseSeconds: 60,
  pollMs: 1_000,
  batchSize: 20,
  retentionSeconds: 604_800,
};

describe('parseConfig', () => {
  it('runs on embedded defaults with no environment at all', () => {
    expect(parseConfig({})).toEqual({
      port: 3000,
      zaikioEnv: 'development',
      hubUrl: null,
      appName: 'warehouse',
      audiences: ['warehouse'],
      personalTokens: 'allow',
      clockToleranceSeconds: 30,
      webhookSecret: null,
      dataDir: './data',
      databaseUrl: null,
      redisUrl: null,
      redisKeyPrefix: 'warehouse:',
      rateLimit: { limit: 600, windowSeconds: 60 },
      logLevel: 'info',
      metricsToken: null,
      shutdownTimeoutSeconds: 25,
      // Events on, to the stand-in Loom that npm start embeds (no password needed there).
      events: {
        loomUrl: null,
        password: null,
        publicUrl: 'http://localhost:3000',
        staleAfterSeconds: 300,
        ...DELIVERY_DEFAULTS,
      },
      devHubPort: 3001,
      requestBatching: true,
    });
  });

  it('gives the development hub a stable port next to PORT, or DEV_HUB_PORT (0: any free one)', () => {
    expect(parseConfig({ PORT: '3105' }).devHubPort).toBe(3106);
    expect(parseConfig({ PORT: '3105', DEV_HUB_PORT: '4000' }).devHubPort).toBe(4000);
    expect(parseConfig({ DEV_HUB_PORT: '0' }).devHubPort).toBe(0);
    // No neighbour to take: a free port rather than a refusal nobody asked for.
    expect(parseConfig({ PORT: '0' }).devHubPort).toBe(0);
    expect(parseConfig({ PORT: '65535' }).devHubPort).toBe(0);
  });

  it("posts events to the environment's Loom, or where LOOM_URL says, and EVENTS=off stops them", () => {
    const real = {
      EVENTS: 'on',
      ZAIKIO_EVENT_PASSWORD: 'pw',
      PUBLIC_URL: 'https://api.example.test/',
    };
    expect(parseConfig({ ZAIKIO_ENV: 'sandbox', ...real }).events).toEqual({
      loomUrl: 'https://loom.sandbox.zaikio.com',
      password: 'pw',
      publicUrl: 'https://api.example.test',
      staleAfterSeconds: 300,
      ...DELIVERY_DEFAULTS,
    });
    expect(parseConfig({ ZAIKIO_ENV: 'production', ...real }).events?.loomUrl).toBe(
      'https://loom.zaikio.com',
    );
    const local = parseConfig({
      ZAIKIO_ENV: 'test',
      ZAIKIO_HUB_URL: 'http://127.0.0.1:9',
      EVENTS: 'on',
      LOOM_URL: 'http://127.0.0.1:8/',
      ZAIKIO_EVENT_PASSWORD: 'pw',
      PORT: '3104',
      EVENTS_STALE_AFTER: '60',
      EVENTS_RETRY_BASE_MS: '50',
      EVENTS_RETRY_MAX_MS: '5000',
      EVENTS_TIMEOUT_MS: '2000',
      EVENTS_LEASE: '10',
      EVENTS_POLL_MS: '100',
      EVENTS_BATCH: '5',
      EVENTS_RETENTION: '0',
    }).events;
    expect(local).toEqual({
      loomUrl: 'http://127.0.0.1:8',
      password: 'pw',
      publicUrl: 'http://localhost:3104',
      staleAfterSeconds: 60,
      retryBaseMs: 50,
      retryMaxMs: 5000,
      timeoutMs: 2000,
      leaseSeconds: 10,
      pollMs: 100,
      batchSize: 5,
      retentionSeconds: 0,
    });
    expect(parseConfig({ ZAIKIO_ENV: 'production', EVENTS: 'off' }).events).toBeNull();
    // On unless switched off: then real Loom needs its password and our public URL.
    expect(() => parseConfig({ ZAIKIO_ENV: 'production' })).toThrow(/ZAIKIO_EVENT_PASSWORD/);
    expect(() => parseConfig({ ZAIKIO_ENV: 'sandbox', ZAIKIO_EVENT_PASSWORD: 'pw' })).toThrow(
      /PUBLIC_URL/,
    );
  });

  it('reads the fleet and observability variables', () => {
    const config = parseConfig({
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      REDIS_KEY_PREFIX: 'wh-sandbox:',
      RATE_LIMIT: '100',
      RATE_LIMIT_WINDOW: '10',
      LOG_LEVEL: 'silent',
      METRICS_TOKEN: 'scrape-me',
      SHUTDOWN_TIMEOUT: '5',
    });
    expect(config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379/2',
      redisKeyPrefix: 'wh-sandbox:',
      rateLimit: { limit: 100, windowSeconds: 10 },
      logLevel: 'silent',
      metricsToken: 'scrape-me',
      shutdownTimeoutSeconds: 5,
    });
    expect(parseConfig({ RATE_LIMIT: '0' }).rateLimit).toBeNull();
    expect(() => parseConfig({ SHUTDOWN_TIMEOUT: '0' })).toThrow(/SHUTDOWN_TIMEOUT/);
  });

  it('batches requests unless REQUEST_BATCHING=off, and names the variable when it is neither', () => {
    expect(parseConfig({}).requestBatching).toBe(true);
    expect(parseConfig({ REQUEST_BATCHING: 'on' }).requestBatching).toBe(true);
    expect(parseConfig({ REQUEST_BATCHING: 'off' }).requestBatching).toBe(false);
    expect(() => parseConfig({ REQUEST_BATCHING: 'yes' })).toThrow(/REQUEST_BATCHING/);
  });

  it('points sandbox and production at the real hubs and denies personal tokens in production', () => {
    const noEvents = { EVENTS: 'off' };
    expect(parseConfig({ ZAIKIO_ENV: 'sandbox', ...noEvents }).hubUrl).toBe(
      'https://hub.sandbox.zaikio.com',
    );
    const production = parseConfig({ ZAIKIO_ENV: 'production', ...noEvents });
    expect(production.hubUrl).toBe('https://hub.zaikio.com');
    expect(production.personalTokens).toBe('deny');
  });

  it('lets ZAIKIO_HUB_URL override the hub and strips a trailing slash', () => {
    const config = parseConfig({
      ZAIKIO_ENV: 'production',
      ZAIKIO_HUB_URL: 'http://127.0.0.1:9/',
      EVENTS: 'off',
    });
    expect(config.hubUrl).toBe('http://127.0.0.1:9');
  });

  it('parses audiences with credentials names and removes duplicates', () => {
    const config = parseConfig({ ZAIKIO_AUDIENCES: 'warehouse, warehouse/prod ,warehouse' });
    expect(config.audiences).toEqual(['warehouse', 'warehouse/prod']);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number, got "abc"'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [{ ZAIKIO_ENV: 'staging' }, 'ZAIKIO_ENV must be one of development, test, sandbox, production'],
    [{ ZAIKIO_ENV: 'test' }, 'ZAIKIO_HUB_URL is required when ZAIKIO_ENV=test'],
    [{ ZAIKIO_HUB_URL: 'hub.zaikio.com' }, 'ZAIKIO_HUB_URL must be an absolute URL'],
    [{ ZAIKIO_HUB_URL: 'ftp://hub' }, 'ZAIKIO_HUB_URL must use http: or https:'],
    [{ ZAIKIO_APP_NAME: 'Ware House' }, 'ZAIKIO_APP_NAME must match'],
    [{ ZAIKIO_AUDIENCES: 'warehouse/toolong' }, 'ZAIKIO_AUDIENCES entry "warehouse/toolong"'],
    [{ ZAIKIO_AUDIENCES: 'warehouse/a/b' }, 'ZAIKIO_AUDIENCES entry "warehouse/a/b"'],
    [{ ZAIKIO_PERSONAL_TOKENS: 'yes' }, 'ZAIKIO_PERSONAL_TOKENS must be one of allow, deny'],
    [{ ZAIKIO_CLOCK_TOLERANCE: '301' }, 'ZAIKIO_CLOCK_TOLERANCE must be between 0 and 300'],
    [{ ZAIKIO_CLOCK_TOLERANCE: '-1' }, 'ZAIKIO_CLOCK_TOLERANCE must be a whole number'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must use postgres: or postgresql:'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL must use redis: or rediss:'],
    [{ REDIS_KEY_PREFIX: 'a b' }, 'REDIS_KEY_PREFIX must be 1-64'],
    [{ RATE_LIMIT: 'lots' }, 'RATE_LIMIT must be a whole number'],
    [{ RATE_LIMIT_WINDOW: '0' }, 'RATE_LIMIT_WINDOW must be between 1 and 86400'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of fatal, error, warn, info'],
    [{ EVENTS: 'no' }, 'EVENTS must be one of on, off'],
    [{ DEV_HUB_PORT: 'next' }, 'DEV_HUB_PORT must be a whole number, got "next"'],
    [{ DEV_HUB_PORT: '65536' }, 'DEV_HUB_PORT must be between 0 and 65535'],
    [{ PORT: '3105', DEV_HUB_PORT: '3105' }, 'DEV_HUB_PORT must differ from PORT (3105)'],
    [
      { ZAIKIO_ENV: 'production' },
      'ZAIKIO_EVENT_PASSWORD is required to post events to https://loom.zaikio.com',
    ],
    [
      { ZAIKIO_ENV: 'sandbox', EVENTS: 'on', ZAIKIO_EVENT_PASSWORD: 'pw' },
      'PUBLIC_URL is required when ZAIKIO_ENV=sandbox',
    ],
    [{ EVENTS: 'on', LOOM_URL: 'http://127.0.0.1:8' }, 'ZAIKIO_EVENT_PASSWORD is required'],
    [{ EVENTS: 'on', LOOM_URL: 'loom' }, 'LOOM_URL must be an absolute URL'],
    [{ EVENTS: 'on', EVENTS_STALE_AFTER: '0' }, 'EVENTS_STALE_AFTER must be between 1 and 86400'],
    [{ EVENTS: 'on', EVENTS_RETRY_BASE_MS: 'soon' }, 'EVENTS_RETRY_BASE_MS must be a whole number'],
    [
      { EVENTS: 'on', EVENTS_RETRY_BASE_MS: '5000', EVENTS_RETRY_MAX_MS: '1000' },
      'EVENTS_RETRY_MAX_MS must be at least EVENTS_RETRY_BASE_MS (5000)',
    ],
    [
      { EVENTS: 'on', EVENTS_LEASE: '5', EVENTS_TIMEOUT_MS: '5000' },
      'EVENTS_LEASE must be longer than EVENTS_TIMEOUT_MS (5000 ms)',
    ],
    [{ EVENTS: 'on', EVENTS_POLL_MS: '0' }, 'EVENTS_POLL_MS must be between 1 and 600000'],
    [{ EVENTS: 'on', EVENTS_BATCH: '0' }, 'EVENTS_BATCH must be between 1 and 1000'],
    [{ EVENTS: 'on', EVENTS_RETENTION: '-1' }, 'EVENTS_RETENTION must be a whole number'],
  ])('refuses %j with a message naming the variable', (env, message) => {
    const text = errorOf(env);
    expect(text).toContain(message);
    expect(text.split('\n')).toHaveLength(1);
  });
});
