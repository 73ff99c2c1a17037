import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { answer } from '../hub/faults';
import { BadRequestError, listenOn, readTextBody, sendJson } from '../hub/http-util';
import { checkEvent, LoomErrors, LoomEvent } from './event-rules';
import { ForwardAttempt, Forwarder, Subscription } from './forwarder';
import { handleLoomAdmin, LOOM_ADMIN_PREFIX } from './loom-admin';
import { LoomFault, parseLoomFault, parseTimes } from './loom-faults';

export const LOOM_EVENTS_PATH = '/api/v1/events';

export interface StandInLoomOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Only loopback: the admin API has no authentication. */
  readonly host?: '127.0.0.1';
  /** App name → event password: who may post (HTTP Basic `<app>:<password>`). */
  readonly apps: Readonly<Record<string, string>>;
  /** Full names the apps registered as provided events; absent accepts any `<app>.<name>`. */
  readonly registeredEvents?: readonly string[];
  /** Subscriber timeout (default 1000 ms, as Loom), attempts (5) and first retry delay (200 ms). */
  readonly forwardTimeoutMs?: number;
  readonly forwardAttempts?: number;
  readonly forwardRetryMs?: number;
}

/** An event Loom accepted, with the app that posted it. */
export interface ReceivedLoomEvent {
  readonly app: string;
  readonly event: LoomEvent;
  readonly receivedAt: string;
}

/** How the stand-in answered one `POST /api/v1/events`. */
export interface LoomAnswer {
  /** The status sent, or how the request was left unanswered. */
  readonly status: number | 'hang' | 'reset';
  /** The posted `event.id`, when the body had one. */
  readonly eventId: string | null;
  readonly errors?: LoomErrors | readonly string[];
}

/**
 * A real HTTP server imitating Loom's event API for development and tests: it checks what Loom
 * checks (HTTP Basic app name and event password, the `event` wrapper, the name prefix, the
 * subject's shape, the payload's size, a repeated `id`), records what it accepted, misbehaves on
 * command, and forwards each accepted event, signed, to the webhooks registered with it.
 */
export class StandInLoom {
  private readonly accepted: ReceivedLoomEvent[] = [];
  private readonly answered: LoomAnswer[] = [];
  private readonly ids = new Set<string>();
  private readonly passwords: ReadonlyMap<string, Buffer>;
  private readonly registered: ReadonlySet<string> | null;
  private readonly forwarder: Forwarder;
  private fault: { fault: LoomFault; remaining: number } | null = null;
  private stopped = false;

  private constructor(
    private readonly server: Server,
    options: StandInLoomOptions,
  ) {
    this.passwords = new Map(
      Object.entries(options.apps).map(([app, password]) => [app, digest(password)]),
    );
    this.registered = options.registeredEvents ? new Set(options.registeredEvents) : null;
    this.forwarder = new Forwarder({
      timeoutMs: options.forwardTimeoutMs ?? 1_000,
      attempts: options.forwardAttempts ?? 5,
      retryMs: options.forwardRetryMs ?? 200,
    });
  }

  static async start(options: StandInLoomOptions): Promise<StandInLoom> {
    const server = createServer();
    const loom = new StandInLoom(server, options);
    await listenOn(
      server,
      options.port ?? 0,
      options.host ?? '127.0.0.1',
      (req, res) => loom.handle(req, res),
      {
        errors: ['stand-in loom failure'],
      },
    );
    return loom;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Closes every socket (hanging ones too) and cancels forwards still to come. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.forwarder.stop();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Every event accepted, in the order it arrived. */
  get events(): readonly ReceivedLoomEvent[] {
    return this.accepted;
  }

  /** Every answer to `POST /api/v1/events`, faults and refusals included. */
  get answers(): readonly LoomAnswer[] {
    return this.answered;
  }

  /** Every attempt to deliver an accepted event to a registered webhook. */
  get forwards(): readonly ForwardAttempt[] {
    return this.forwarder.attempts;
  }

  /** Misbehaves on the next `times` event posts (default: until cleared with null). */
  setFault(fault: LoomFault | null, times?: number): void {
    this.fault =
      fault === null ? null : { fault: parseLoomFault(fault), remaining: parseTimes(times) };
  }

  /** Registers a webhook: every accepted event (or those named) is forwarded to it, signed. */
  subscribe(subscription: Subscription): void {
    this.forwarder.subscribe(subscription);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname.startsWith(LOOM_ADMIN_PREFIX)) return handleLoomAdmin(req, res, pathname, this);
    if (pathname !== LOOM_EVENTS_PATH || req.method !== 'POST') {
      return sendJson(res, 404, { errors: ['not_found'] });
    }
    let text: string;
    try {
      text = await readTextBody(req, 64 * 1024);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      return this.reply(res, error.status, null, { body: [error.message] });
    }
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return this.reply(res, 400, null, { body: ['is not valid JSON'] });
    }
    const eventId = postedId(body);
    const fault = this.takeFault();
    if (fault !== null && fault.type !== 'lose-answer') {
      this.answered.push({
        status: fault.type === 'status' ? fault.status : fault.type,
        eventId,
      });
      return answer(res, fault, { body: '', later: () => undefined });
    }
    const app = this.authenticatedApp(req.headers.authorization);
    if (app === null) {
      this.answered.push({ status: 401, eventId, errors: ['unauthorized'] });
      res.setHeader('www-authenticate', 'Basic realm="Loom"');
      return sendJson(res, 401, { errors: ['unauthorized'] });
    }
    const checked = checkEvent(body, { app, registered: this.registered });
    if ('errors' in checked) return this.reply(res, 422, eventId, checked.errors);
    if (this.ids.has(checked.event.id)) {
      return this.reply(res, 422, eventId, { id: ['has already been taken'] });
    }
    const receivedAt = new Date().toISOString();
    this.ids.add(checked.event.id);
    this.accepted.push({ app, event: checked.event, receivedAt });
    this.forwarder.forward(checked.event, receivedAt);
    if (fault !== null) {
      this.answered.push({ status: 'reset', eventId });
      res.socket?.resetAndDestroy();
      return;
    }
    this.answered.push({ status: 200, eventId });
    sendJson(res, 200, { event: { ...checked.event, received_at: receivedAt } });
  }

  private reply(
    res: ServerResponse,
    status: number,
    eventId: string | null,
    errors: LoomErrors,
  ): void {
    this.answered.push({ status, eventId, errors });
    sendJson(res, status, { errors });
  }

  private takeFault(): LoomFault | null {
    if (this.fault === null) return null;
    const { fault } = this.fault;
    this.fault.remaining -= 1;
    if (this.fault.remaining <= 0) this.fault = null;
    return fault;
  }

  /** The app whose name and event password the Basic credentials carry, else null. */
  private authenticatedApp(authorization: string | undefined): string | null {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
    if (!match) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const app = decoded.slice(0, colon);
    const expected = this.passwords.get(app);
    const given = digest(decoded.slice(colon + 1));
    return expected !== undefined && timingSafeEqual(expected, given) ? app : null;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function postedId(body: unknown): string | null {
  const id = (body as { event?: { id?: unknown } } | null)?.event?.id;
  return typeof id === 'string' ? id : null;
}
