/** What one attempt to post an event to Loom came to. */
export type DeliveryResult = 'delivered' | 'duplicate' | 'retry' | 'dead';

export const DELIVERY_RESULTS: readonly DeliveryResult[] = [
  'delivered',
  'duplicate',
  'retry',
  'dead',
];

/**
 * Reads Loom's answer. 2xx: delivered. A 422 (or 409) saying the `id` has already been taken is
 * Loom recognising an event it already holds (our earlier attempt reached it, its answer did
 * not reach us): delivered too. 408, 429 and 5xx may pass: retry. Any other 4xx (bad
 * credentials, an event Loom refuses) will be refused again: dead letter. Anything else
 * (1xx, 3xx) is treated as a passing failure.
 */
export function classifyAnswer(status: number, body: string): DeliveryResult {
  if (status >= 200 && status < 300) return 'delivered';
  if ((status === 422 || status === 409) && refusesRepeatedId(body)) return 'duplicate';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status >= 400) return 'dead';
  return 'retry';
}

function refusesRepeatedId(body: string): boolean {
  try {
    const { errors } = JSON.parse(body) as { errors?: { id?: unknown } };
    const messages = errors?.id;
    return Array.isArray(messages) && messages.some((m) => /already been taken/i.test(String(m)));
  } catch {
    return false;
  }
}

export interface Backoff {
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

/**
 * Exponential backoff with jitter: after the n-th failed attempt the ceiling is
 * `base * 2^(n-1)`, capped at `max`, and the delay is drawn between half of it and all of it, so
 * instances that failed together do not retry together, and the delay still grows.
 */
export function retryDelayMs(failures: number, backoff: Backoff, random = Math.random): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  const ceiling = Math.min(backoff.retryMaxMs, backoff.retryBaseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A `Retry-After` of seconds (HTTP dates are ignored), in milliseconds; null when absent. */
export function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return null;
  return Number(header.trim()) * 1000;
}
