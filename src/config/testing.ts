import { AppConfig } from './app-config';

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
    ...overrides,
  };
}
