import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config';
import { HUB_LOOM_APP, HubLoomOptions, REVOCATION_EVENT_NAME } from '../hub/revocation-events';
import { LOOM_WEBHOOK_PATH } from '../zaikio/webhook/loom-webhook.controller';
import { StandInLoom } from './stand-in-loom';

export interface DevelopmentLoom {
  readonly loom: StandInLoom;
  /**
   * The configuration with LOOM_URL and the event password pointing at the stand-in, and a
   * webhook secret (ZAIKIO_WEBHOOK_SECRET or a fresh one) that the stand-in signs with.
   */
  readonly config: AppConfig;
  /** What the embedded hub posts its revocation events with (as the app `zaikio`). */
  readonly hubLoom: HubLoomOptions;
  /** Forwards the hub's revocation events to the server listening at `serverUrl`. */
  deliverTo(serverUrl: string): void;
}

const secret = (): string => randomBytes(18).toString('base64url');

/**
 * `npm start` (development and test) with events on and no LOOM_URL: an embedded stand-in Loom
 * that knows this app, with ZAIKIO_EVENT_PASSWORD or a fresh random password, and the hub. Null
 * when events are off or go to a real Loom.
 */
export async function startDevelopmentLoom(config: AppConfig): Promise<DevelopmentLoom | null> {
  const events = config.events ?? null;
  if (events === null || events.loomUrl !== null) return null;
  const password = events.password ?? secret();
  // Zaikio's own events come from the app `zaikio`; should this app bear that name, they share it.
  const hubLoomPassword = config.appName === HUB_LOOM_APP ? password : secret();
  const webhookSecret = config.webhookSecret ?? secret();
  const loom = await StandInLoom.start({
    apps: { [HUB_LOOM_APP]: hubLoomPassword, [config.appName]: password },
  });
  return {
    loom,
    config: { ...config, webhookSecret, events: { ...events, loomUrl: loom.url, password } },
    hubLoom: { url: loom.url, password: hubLoomPassword },
    deliverTo: (serverUrl) =>
      loom.subscribe({
        url: `${serverUrl}/${LOOM_WEBHOOK_PATH}`,
        secret: webhookSecret,
        events: [REVOCATION_EVENT_NAME],
      }),
  };
}
