/**
 * The stand-in's control API, so another process (benchmark, soak test, a developer with curl)
 * can mint tokens and inject faults. It has no authentication: it is reachable only because the
 * hub binds to 127.0.0.1, and the real hub has nothing like it.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Claims } from './claims';
import { Fault, FaultError, HUB_ENDPOINTS, HubEndpoint, parseFault } from './faults';
import { BadRequestError, isRecord, readJsonBody, sendJson } from './http-util';
import { MintOptions } from './keyring';
import { PARTY_ID_PATTERN } from '../zaikio/token/grammar';

export const ADMIN_PREFIX = '/_standin/';

/** The part of StandInHub the admin API drives. */
export interface AdminTarget {
  mint(claims?: Partial<Claims>, options?: MintOptions): string;
  /** Resolves to whether a revocation event is being posted to Loom. */
  revoke(jti: string, subject?: string): Promise<boolean>;
  rotateKey(): Promise<string>;
  removeKey(kid: string): Promise<boolean>;
  setFault(endpoint: HubEndpoint, fault: Fault | null): void;
  requestCount(endpoint: HubEndpoint): number;
  resetCounts(): void;
}

function mintOptions(value: unknown): MintOptions {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new BadRequestError('"options" must be an object');
  const { kid, includeKid, header } = value;
  if (kid !== undefined && typeof kid !== 'string')
    throw new BadRequestError('"kid" must be a string');
  if (includeKid !== undefined && typeof includeKid !== 'boolean') {
    throw new BadRequestError('"includeKid" must be a boolean');
  }
  if (header !== undefined && !isRecord(header))
    throw new BadRequestError('"header" must be an object');
  return { kid, includeKid, header };
}

/** `{claims?, options?, omit?}`; JSON has no `undefined`, so `omit` lists claims to leave out. */
function mintRequest(body: unknown): { claims: Partial<Claims>; options: MintOptions } {
  if (body === undefined) return { claims: {}, options: {} };
  if (!isRecord(body)) throw new BadRequestError('body must be an object');
  const claims: Partial<Claims> = {};
  if (body.claims !== undefined) {
    if (!isRecord(body.claims)) throw new BadRequestError('"claims" must be an object');
    Object.assign(claims, body.claims);
  }
  if (body.omit !== undefined) {
    if (!Array.isArray(body.omit) || !body.omit.every((name) => typeof name === 'string')) {
      throw new BadRequestError('"omit" must be a list of claim names');
    }
    for (const name of body.omit) claims[name] = undefined;
  }
  return { claims, options: mintOptions(body.options) };
}

function requiredString(body: unknown, field: string): string {
  const value = isRecord(body) ? body[field] : undefined;
  if (typeof value !== 'string' || value === '') {
    throw new BadRequestError(`body must be {"${field}": "<non-empty string>"}`);
  }
  return value;
}

const LOOM_SUBJECT = new RegExp(`^(Org|Per)/${PARTY_ID_PATTERN.slice(1, -1)}$`);

/** The bearer of a token the hub did not sign, for the Loom event: `Org/<id>` or `Per/<id>`. */
function optionalSubject(body: unknown): string | undefined {
  const value = isRecord(body) ? body.subject : undefined;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !LOOM_SUBJECT.test(value)) {
    throw new BadRequestError('"subject" must read Org/<id> or Per/<id>');
  }
  return value;
}

function endpointOf(segment: string): HubEndpoint | null {
  return (HUB_ENDPOINTS as readonly string[]).includes(segment) ? (segment as HubEndpoint) : null;
}

/** Handles a request under ADMIN_PREFIX. */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  hub: AdminTarget,
): Promise<void> {
  const route = pathname.slice(ADMIN_PREFIX.length).split('/').map(decodeURIComponent);
  const method = req.method ?? 'GET';
  try {
    await dispatch(method, route, req, res, hub);
  } catch (error) {
    if (error instanceof BadRequestError)
      return sendJson(res, error.status, { error: error.message });
    if (error instanceof FaultError) return sendJson(res, 400, { error: error.message });
    throw error;
  }
}

async function dispatch(
  method: string,
  route: string[],
  req: IncomingMessage,
  res: ServerResponse,
  hub: AdminTarget,
): Promise<void> {
  const [resource, id, ...rest] = route;
  const is = (m: string, r: string, withId: boolean): boolean =>
    method === m && resource === r && (id !== undefined) === withId && rest.length === 0;

  if (is('POST', 'tokens', false)) {
    const { claims, options } = mintRequest(await readJsonBody(req));
    let token: string;
    try {
      token = hub.mint(claims, options);
    } catch (error) {
      throw new BadRequestError(error instanceof Error ? error.message : 'cannot mint');
    }
    return sendJson(res, 201, { token });
  }
  if (is('POST', 'revoke', false)) {
    const body = await readJsonBody(req);
    const jti = requiredString(body, 'jti');
    const announced = await hub.revoke(jti, optionalSubject(body));
    return sendJson(res, 200, { revoked: jti, announced });
  }
  if (is('POST', 'rotate', false)) {
    return sendJson(res, 201, { kid: await hub.rotateKey() });
  }
  if (is('DELETE', 'keys', true)) {
    const removed = await hub.removeKey(id);
    return removed
      ? sendJson(res, 200, { removed: id })
      : sendJson(res, 404, { error: 'no such key' });
  }
  if (is('PUT', 'faults', true)) {
    const endpoint = endpointOf(id);
    if (endpoint === null) {
      return sendJson(res, 404, { error: `endpoint must be one of ${HUB_ENDPOINTS.join(', ')}` });
    }
    const body = await readJsonBody(req);
    const fault = body === null || body === undefined ? null : parseFault(body, endpoint);
    hub.setFault(endpoint, fault);
    return sendJson(res, 200, { endpoint, fault });
  }
  if (is('GET', 'counts', false)) {
    const counts = Object.fromEntries(HUB_ENDPOINTS.map((e) => [e, hub.requestCount(e)]));
    return sendJson(res, 200, counts);
  }
  if (is('DELETE', 'counts', false)) {
    hub.resetCounts();
    return sendJson(res, 200, {});
  }
  return sendJson(res, 404, { error: 'unknown stand-in admin route' });
}
