import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How the hub tells apps at once that a token was revoked: it posts Zaikio's revocation event to
 * Loom, which forwards it to every subscribed webhook (zaikio-platform.md, "Loom webhooks").
 */
export const REVOCATION_EVENT_NAME = 'zaikio.revoked_access_token';
/** Loom authenticates the poster by app name; Zaikio's own events come from the app `zaikio`. */
export const HUB_LOOM_APP = 'zaikio';

/** Where the hub posts its events: a Loom base URL and the event password of the app `zaikio`. */
export interface HubLoomOptions {
  readonly url: string;
  readonly password: string;
}

/** One revocation event and how Loom answered its last attempt. */
export interface RevocationAnnouncement {
  readonly eventId: string;
  readonly jti: string;
  /** Loom's status, or null while unsent or when Loom did not answer. */
  status: number | null;
  attempts: number;
}

const ATTEMPTS = 4;
const RETRY_MS = 100;
const TIMEOUT_MS = 2_000;

/** `Org/<id>` for organization and on-behalf tokens, `Per/<id>` for person tokens, else null. */
export function loomSubjectOf(sub: unknown): string | null {
  if (typeof sub !== 'string') return null;
  const bearer = sub.includes('>') ? sub.slice(sub.indexOf('>') + 1) : sub;
  const match = /^(Organization|Person)\/([^/>\s]+)$/.exec(bearer);
  if (!match) return null;
  return `${match[1] === 'Organization' ? 'Org' : 'Per'}/${match[2]}`;
}

/**
 * Posts revocation events in the background, retrying what Loom did not accept. A retry keeps
 * the event id, so a first attempt that Loom accepted but whose answer was lost ends as a 422
 * "id has already been taken", which counts as delivered.
 */
export class RevocationAnnouncer {
  private readonly log: RevocationAnnouncement[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  constructor(
    private readonly loom: HubLoomOptions,
    /** Where an event's `link` points: the hub's list of revoked token ids. */
    private readonly link: () => string,
  ) {}

  get announcements(): readonly RevocationAnnouncement[] {
    return this.log;
  }

  announce(jti: string, subject: string): void {
    const entry: RevocationAnnouncement = { eventId: randomUUID(), jti, status: null, attempts: 0 };
    this.log.push(entry);
    const body = JSON.stringify({
      event: {
        id: entry.eventId,
        name: REVOCATION_EVENT_NAME,
        subject,
        timestamp: new Date().toISOString(),
        version: '1.0',
        payload: { access_token_id: jti },
        link: this.link(),
      },
    });
    const run = this.send(entry, body).finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /** Cancels what is still being sent. */
  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.all(this.pending);
  }

  private async send(entry: RevocationAnnouncement, body: string): Promise<void> {
    const authorization = `Basic ${Buffer.from(`${HUB_LOOM_APP}:${this.loom.password}`).toString('base64')}`;
    while (entry.attempts < ATTEMPTS && !this.controller.signal.aborted) {
      entry.attempts += 1;
      try {
        const response = await fetch(`${this.loom.url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.any([this.controller.signal, AbortSignal.timeout(TIMEOUT_MS)]),
        });
        entry.status = response.status;
        const text = await response.text();
        if (response.ok || (response.status === 422 && text.includes('already been taken'))) return;
        if (response.status >= 400 && response.status < 500 && response.status !== 429) return;
      } catch {
        entry.status = null;
      }
      const delay = RETRY_MS * 2 ** (entry.attempts - 1);
      await sleep(delay, undefined, { signal: this.controller.signal }).catch(() => undefined);
    }
  }
}
