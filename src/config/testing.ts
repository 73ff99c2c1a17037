import { AppConfig, EventsConfig } from './app-config';

/** A complete AppConfig for specs; only what a spec passes differs from these inert values. */
export function aTestConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: 0,
    zaikioEnv: 'test',
    hubUrl: null,
    appName: 'warehouse',
    audiences: ['warehouse'],
    personalTokens: 'deny',
    clockToleranceSeconds: 0,
    webhookSecret: null,
    dataDir: 'unused',
    databaseUrl: null,
    // As parseConfig's default, so the e2e specs run requests the way production does.
    requestBatching: true,
    ...overrides,
  };
}

/** Events on, posting to `loomUrl` (a stand-in Loom) with a test password. */
export function testEventsConfig(overrides: Partial<EventsConfig> = {}): EventsConfig {
  return {
    loomUrl: 'http://127.0.0.1:9',
    password: 'test-event-password',
    publicUrl: 'http://api.test',
    staleAfterSeconds: 300,
    // Quick enough that retries show within a test.
    retryBaseMs: 20,
    retryMaxMs: 200,
    timeoutMs: 1_000,
    leaseSeconds: 30,
    pollMs: 25,
    batchSize: 20,
    retentionSeconds: 604_800,
    ...overrides,
  };
}
