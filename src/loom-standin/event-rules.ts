import { isRecord } from '../hub/http-util';
import { PARTY_ID_PATTERN } from '../zaikio';

/** Loom refuses a payload of 256 bytes of JSON or more. */
export const LOOM_PAYLOAD_LIMIT_BYTES = 256;

/** An event as Loom accepted it: what subscribers receive, plus `received_at`. */
export interface LoomEvent {
  readonly id: string;
  readonly name: string;
  readonly subject: string;
  readonly timestamp?: string;
  readonly version?: string;
  readonly payload?: Record<string, unknown>;
  readonly link?: string;
  readonly receiver?: string;
}

/** Rails-style validation errors: `{"<field>": ["<message>", ...]}`. */
export type LoomErrors = Record<string, string[]>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBJECT = new RegExp(`^(Org|Per)/${PARTY_ID_PATTERN.slice(1, -1)}$`);
const EVENT_NAME = /^[a-z][a-z0-9_]*$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export interface EventRules {
  /** The app the request authenticated as: names must read `<app>.<event>`. */
  readonly app: string;
  /** When set, only these full names are accepted (the app's "provided events" in the hub). */
  readonly registered: ReadonlySet<string> | null;
}

/**
 * What real Loom checks of `POST /api/v1/events` once the app authenticated: the `event` wrapper,
 * a UUID `id`, a name of the sending app, a subject `Org/<id>` or `Per/<id>`, an ISO 8601
 * timestamp, an object payload under 256 bytes of JSON, a URL link. Returns the event or the
 * errors, in the shape Loom answers with 422.
 */
export function checkEvent(
  body: unknown,
  rules: EventRules,
): { event: LoomEvent } | { errors: LoomErrors } {
  const wrapped = isRecord(body) ? body.event : undefined;
  if (!isRecord(wrapped)) return { errors: { event: ["can't be blank"] } };
  const errors: LoomErrors = {};
  const add = (field: string, message: string): void => {
    (errors[field] ??= []).push(message);
  };
  const { id, name, subject, timestamp, version, payload, link, receiver } = wrapped;

  if (typeof id !== 'string' || id === '') add('id', "can't be blank");
  else if (!UUID.test(id)) add('id', 'is not a UUID');

  if (typeof name !== 'string' || name === '') add('name', "can't be blank");
  else if (!validName(name, rules)) add('name', 'excludes a valid event name');

  if (typeof subject !== 'string' || subject === '') add('subject', "can't be blank");
  else if (!SUBJECT.test(subject)) add('subject', 'is invalid');

  if (timestamp !== undefined && !validTimestamp(timestamp)) add('timestamp', 'is invalid');
  if (version !== undefined && typeof version !== 'string') add('version', 'is invalid');
  if (receiver !== undefined && typeof receiver !== 'string') add('receiver', 'is invalid');
  if (link !== undefined && !validUrl(link)) add('link', 'is not a URL');

  if (payload !== undefined && payload !== null) {
    if (!isRecord(payload)) add('payload', 'must be an object');
    else if (Buffer.byteLength(JSON.stringify(payload)) >= LOOM_PAYLOAD_LIMIT_BYTES) {
      add('payload', `is too large (${LOOM_PAYLOAD_LIMIT_BYTES} bytes or more)`);
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    event: {
      id: (id as string).toLowerCase(),
      name: name as string,
      subject: subject as string,
      ...(timestamp !== undefined && { timestamp: timestamp as string }),
      ...(version !== undefined && { version: version as string }),
      ...(isRecord(payload) && { payload }),
      ...(link !== undefined && { link: link as string }),
      ...(receiver !== undefined && { receiver: receiver as string }),
    },
  };
}

function validName(name: string, rules: EventRules): boolean {
  const prefix = `${rules.app}.`;
  if (!name.startsWith(prefix) || !EVENT_NAME.test(name.slice(prefix.length))) return false;
  return rules.registered === null || rules.registered.has(name);
}

function validTimestamp(value: unknown): boolean {
  return typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value));
}

function validUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
