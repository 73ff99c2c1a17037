import { mkdir } from 'node:fs/promises';
import { AppConfig } from '../config';
import { defaultDevStatePath, StandInHub } from './stand-in-hub';

/** Every scope of the app's own routes, full access: what development tokens carry by default. */
export function appScopes(appName: string): string[] {
  return [`${appName}.items.rw`, `${appName}.settings.rw`];
}

/** The audience development tokens carry: the first one the server accepts. */
export function developmentAudience(config: Pick<AppConfig, 'audiences'>): string {
  return config.audiences[0];
}

export interface DevelopmentHub {
  readonly hub: StandInHub;
  readonly stateFile: string;
  /** A fresh organization token with every scope of this app, for the start-up curl line. */
  sampleToken(): string;
}

/**
 * `npm start` without a hub URL: an embedded stand-in hub whose keys live in DATA_DIR, so tokens
 * minted by `npm run token` keep working across restarts.
 */
export async function startDevelopmentHub(config: AppConfig): Promise<DevelopmentHub> {
  await mkdir(config.dataDir, { recursive: true });
  const stateFile = defaultDevStatePath(config.dataDir);
  const hub = await StandInHub.start({ stateFile });
  return {
    hub,
    stateFile,
    sampleToken: () =>
      hub.mint({
        sub: 'Organization/dev-org',
        aud: [developmentAudience(config)],
        scope: appScopes(config.appName),
      }),
  };
}
