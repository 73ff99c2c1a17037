import type { OutboxRow } from '../database';
import { classifyAnswer, DeliveryResult, retryAfterMs } from './delivery-policy';

/** How much of Loom's answer a dead letter or retry keeps as its last error. */
const ERROR_TEXT_LIMIT = 500;

export interface LoomClientOptions {
  /** Loom base URL without trailing slash. */
  readonly loomUrl: string;
  readonly appName: string;
  readonly password: string;
  readonly timeoutMs: number;
}

export interface DeliveryOutcome {
  readonly result: DeliveryResult;
  /** What went wrong, for the row's last_error (never the password); null when delivered. */
  readonly error: string | null;
  /** Loom's Retry-After, when it sent one. */
  readonly retryAfterMs: number | null;
}

/** The body of `POST /api/v1/events` for an outbox row, as zaikio-loom posts it. */
export function loomRequestBody(row: OutboxRow): string {
  const event = {
    id: row.id,
    name: row.name,
    subject: row.subject,
    timestamp: row.occurred_at.toISOString(),
    version: '1.0',
    // Stored as the JSON text whose size was checked; parsing and writing it again is byte-exact.
    payload: JSON.parse(row.payload) as unknown,
    ...(row.link !== null && { link: row.link }),
  };
  return JSON.stringify({ event });
}

/** Posts outbox events to Loom's event API, HTTP Basic `<app>:<event password>`. */
export class LoomClient {
  private readonly endpoint: string;
  private readonly authorization: string;

  constructor(private readonly options: LoomClientOptions) {
    this.endpoint = `${options.loomUrl}/api/v1/events`;
    const credentials = Buffer.from(`${options.appName}:${options.password}`).toString('base64');
    this.authorization = `Basic ${credentials}`;
  }

  async send(row: OutboxRow): Promise<DeliveryOutcome> {
    let response: Response;
    let body: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': 'application/json',
          'user-agent': `${this.options.appName}-outbox`,
        },
        body: loomRequestBody(row),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      return { result: 'retry', error: this.failureOf(error), retryAfterMs: null };
    }
    const result = classifyAnswer(response.status, body);
    const error =
      result === 'delivered' || result === 'duplicate'
        ? null
        : `HTTP ${response.status}: ${body.slice(0, ERROR_TEXT_LIMIT)}`;
    return { result, error, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
  }

  private failureOf(error: unknown): string {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return `no answer within ${this.options.timeoutMs} ms`;
    }
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail =
      cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : error);
    return `request failed: ${String(detail)}`;
  }
}
