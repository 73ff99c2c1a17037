/**
 * The stand-in Loom's control API, for another process (a developer with curl, a second server
 * that wants to subscribe). No authentication: reachable only because it binds to 127.0.0.1;
 * real Loom has nothing like it.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { FaultError } from '../hub/faults';
import { BadRequestError, isRecord, readJsonBody, sendJson } from '../hub/http-util';
import type { ForwardAttempt, Subscription } from './forwarder';
import { LoomFault, parseLoomFault, parseTimes } from './loom-faults';
import type { LoomAnswer, ReceivedLoomEvent } from './stand-in-loom';

export const LOOM_ADMIN_PREFIX = '/_standin/';

/** The part of StandInLoom the admin API drives. */
export interface LoomAdminTarget {
  readonly events: readonly ReceivedLoomEvent[];
  readonly answers: readonly LoomAnswer[];
  readonly forwards: readonly ForwardAttempt[];
  setFault(fault: LoomFault | null, times?: number): void;
  subscribe(subscription: Subscription): void;
}

function subscription(body: unknown): Subscription {
  if (!isRecord(body) || typeof body.url !== 'string' || typeof body.secret !== 'string') {
    throw new BadRequestError('body must be {"url": "...", "secret": "...", "events"?: [...]}');
  }
  let url: URL;
  try {
    url = new URL(body.url);
  } catch {
    throw new BadRequestError('"url" must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadRequestError('"url" must use http: or https:');
  }
  const { events } = body;
  if (
    events !== undefined &&
    !(Array.isArray(events) && events.every((e) => typeof e === 'string'))
  ) {
    throw new BadRequestError('"events" must be a list of event names');
  }
  return { url: body.url, secret: body.secret, ...(events && { events }) };
}

/** Handles a request under LOOM_ADMIN_PREFIX. */
export async function handleLoomAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  loom: LoomAdminTarget,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${pathname.slice(LOOM_ADMIN_PREFIX.length)}`;
  try {
    switch (route) {
      case 'GET events':
        return sendJson(res, 200, { events: loom.events });
      case 'GET answers':
        return sendJson(res, 200, { answers: loom.answers });
      case 'GET forwards':
        return sendJson(res, 200, { forwards: loom.forwards });
      case 'POST webhooks': {
        const created = subscription(await readJsonBody(req));
        loom.subscribe(created);
        return sendJson(res, 201, { url: created.url, events: created.events ?? null });
      }
      case 'PUT fault': {
        // `{"fault": {...}, "times": n}` sets one; an empty body or `{"fault": null}` clears it.
        const body = await readJsonBody(req);
        const requested = isRecord(body) ? body.fault : undefined;
        const fault =
          requested === undefined || requested === null ? null : parseLoomFault(requested);
        const times = isRecord(body) ? parseTimes(body.times) : undefined;
        loom.setFault(fault, times === Number.POSITIVE_INFINITY ? undefined : times);
        return sendJson(res, 200, { fault });
      }
      default:
        return sendJson(res, 404, { error: 'unknown stand-in admin route' });
    }
  } catch (error) {
    if (error instanceof BadRequestError)
      return sendJson(res, error.status, { error: error.message });
    if (error instanceof FaultError) return sendJson(res, 400, { error: error.message });
    throw error;
  }
}
