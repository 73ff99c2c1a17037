import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config';
import { StandInLoom } from './stand-in-loom';

export interface DevelopmentLoom {
  readonly loom: StandInLoom;
  /** The configuration with LOOM_URL and the event password pointing at the stand-in. */
  readonly config: AppConfig;
}

/**
 * `npm start` (development and test) with events on and no LOOM_URL: an embedded stand-in Loom
 * that knows this app, with ZAIKIO_EVENT_PASSWORD or a fresh random password. Null when events
 * are off or go to a real Loom.
 */
export async function startDevelopmentLoom(config: AppConfig): Promise<DevelopmentLoom | null> {
  const events = config.events ?? null;
  if (events === null || events.loomUrl !== null) return null;
  const password = events.password ?? randomBytes(18).toString('base64url');
  const loom = await StandInLoom.start({ apps: { [config.appName]: password } });
  return { loom, config: { ...config, events: { ...events, loomUrl: loom.url, password } } };
}
