import { mkdir } from 'node:fs/promises';
import { AppConfig, ConfigError } from '../config';
import { swaggerRedirectUris } from '../docs/swagger-sign-in';
import { FileDirectoryStore } from './oauth/directory';
import { defaultDirectoryPath, seedDevelopmentDirectory } from './oauth/seed';
import { HubLoomOptions } from './revocation-events';
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
  /** Persons, organizations, OAuth clients and grants of the hub. */
  readonly directoryFile: string;
  /** A fresh organization token with every scope of this app, for the start-up curl line. */
  sampleToken(): string;
}

/**
 * `npm start` without a hub URL: an embedded stand-in hub whose keys live in DATA_DIR, so tokens
 * minted by `npm run token` keep working across restarts.
 */
export async function startDevelopmentHub(
  config: AppConfig,
  options: { loom?: HubLoomOptions | null } = {},
): Promise<DevelopmentHub> {
  await mkdir(config.dataDir, { recursive: true });
  const stateFile = defaultDevStatePath(config.dataDir);
  const directoryFile = defaultDirectoryPath(config.dataDir);
  const directory = new FileDirectoryStore(directoryFile);
  await seedDevelopmentDirectory(directory, {
    audience: developmentAudience(config),
    scopes: appScopes(config.appName),
    swaggerRedirectUris: swaggerRedirectUris(config.port),
  });
  const port = config.devHubPort ?? 0;
  const hub = await StandInHub.start({ stateFile, directory, port, loom: options.loom }).catch(
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw new ConfigError(
        'DEV_HUB_PORT',
        `port ${port} is taken on 127.0.0.1; the development hub needs a free one (0 picks any)`,
      );
    },
  );
  return {
    hub,
    stateFile,
    directoryFile,
    sampleToken: () =>
      hub.mint({
        sub: 'Organization/dev-org',
        aud: [developmentAudience(config)],
        scope: appScopes(config.appName),
      }),
  };
}
