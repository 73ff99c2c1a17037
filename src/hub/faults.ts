import { STATUS_CODES, ServerResponse } from 'node:http';
import { isRecord, JSON_CONTENT_TYPE, sendBody } from './http-util';

export const HUB_ENDPOINTS = ['keys', 'revoked', 'roles'] as const;
export type HubEndpoint = (typeof HUB_ENDPOINTS)[number];

/** Misbehaviour a client of the hub must survive; set per endpoint with StandInHub.setFault. */
export type Fault =
  /** Answers with this status (e.g. 500, 429); default body is a small JSON error. */
  | { type: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Waits, then answers normally. */
  | { type: 'delay'; ms: number }
  /** Never answers; the socket stays open until the client gives up or the hub stops. */
  | { type: 'hang' }
  /** Resets the connection before answering. */
  | { type: 'reset' }
  /** Announces the full content-length, sends half the JSON, closes. */
  | { type: 'truncated' }
  /** 200 with a JSON content type but an HTML error page as body. */
  | { type: 'non-json' }
  /** The normal body, labelled text/html. */
  | { type: 'wrong-content-type' }
  /** Keys endpoint only: `{"keys":[]}`. */
  | { type: 'empty-keys' }
  /** The normal JSON padded with whitespace to `bytes`; `chunked` omits content-length. */
  | { type: 'huge'; bytes: number; chunked?: boolean }
  /** Any body, content type (default JSON) and status (default 200). */
  | { type: 'body'; body: string; contentType?: string; status?: number };

const MAX_DELAY_MS = 10 * 60 * 1000;
const MAX_HUGE_BYTES = 1024 * 1024 * 1024;
const HTML_ERROR_PAGE =
  "<!DOCTYPE html><html><head><title>We're sorry, but something went wrong (500)</title></head>" +
  "<body><h1>We're sorry, but something went wrong.</h1></body></html>";

export class FaultError extends Error {
  constructor(message: string) {
    super(`Invalid fault: ${message}`);
    this.name = 'FaultError';
  }
}

function integerIn(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultError(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new FaultError(`${name} must be a string`);
}

function optionalHeaders(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (isRecord(value) && Object.values(value).every((v) => typeof v === 'string')) {
    return value as Record<string, string>;
  }
  throw new FaultError('headers must map names to strings');
}

/** Validates untrusted JSON (admin API) as well as typed calls (ranges, endpoint fit). */
export function parseFault(value: unknown, endpoint: HubEndpoint): Fault {
  if (!isRecord(value) || typeof value.type !== 'string') {
    throw new FaultError('expected an object with a "type"');
  }
  switch (value.type) {
    case 'status':
      return {
        type: 'status',
        status: integerIn(value.status, 'status', 100, 599),
        body: optionalString(value.body, 'body'),
        headers: optionalHeaders(value.headers),
      };
    case 'delay':
      return { type: 'delay', ms: integerIn(value.ms, 'ms', 0, MAX_DELAY_MS) };
    case 'huge':
      if (value.chunked !== undefined && typeof value.chunked !== 'boolean') {
        throw new FaultError('chunked must be a boolean');
      }
      return {
        type: 'huge',
        bytes: integerIn(value.bytes, 'bytes', 0, MAX_HUGE_BYTES),
        chunked: value.chunked,
      };
    case 'body': {
      const body = optionalString(value.body, 'body');
      if (body === undefined) throw new FaultError('body is required');
      const status = value.status === undefined ? 200 : integerIn(value.status, 'status', 100, 599);
      return {
        type: 'body',
        body,
        status,
        contentType: optionalString(value.contentType, 'contentType'),
      };
    }
    case 'empty-keys':
      if (endpoint !== 'keys') throw new FaultError('empty-keys applies to the keys endpoint only');
      return { type: 'empty-keys' };
    case 'hang':
    case 'reset':
    case 'truncated':
    case 'non-json':
    case 'wrong-content-type':
      return { type: value.type };
    default:
      throw new FaultError(`unknown type "${value.type}"`);
  }
}

export interface FaultContext {
  /** What the endpoint answers when healthy. */
  readonly body: string;
  /** Runs `fn` later; the hub cancels it on stop so jest is not held open. */
  later(ms: number, fn: () => void): void;
}

/** Answers one request to a hub endpoint, misbehaving as `fault` says. */
export function answer(res: ServerResponse, fault: Fault | null, ctx: FaultContext): void {
  if (fault === null) return sendBody(res, 200, ctx.body);
  switch (fault.type) {
    case 'status': {
      const body =
        fault.body ?? JSON.stringify({ errors: [STATUS_CODES[fault.status] ?? 'Error'] });
      return sendBody(res, fault.status, body, JSON_CONTENT_TYPE, fault.headers);
    }
    case 'delay':
      return ctx.later(fault.ms, () => {
        if (!res.destroyed) sendBody(res, 200, ctx.body);
      });
    case 'hang':
      return;
    case 'reset':
      res.socket?.resetAndDestroy();
      return;
    case 'truncated':
      return sendTruncated(res, ctx.body);
    case 'non-json':
      return sendBody(res, 200, HTML_ERROR_PAGE);
    case 'wrong-content-type':
      return sendBody(res, 200, ctx.body, 'text/html; charset=utf-8');
    case 'empty-keys':
      return sendBody(res, 200, JSON.stringify({ keys: [] }));
    case 'huge':
      return sendPadded(res, ctx.body, fault.bytes, fault.chunked ?? false);
    case 'body':
      return sendBody(res, fault.status ?? 200, fault.body, fault.contentType ?? JSON_CONTENT_TYPE);
  }
}

function sendTruncated(res: ServerResponse, body: string): void {
  const bytes = Buffer.from(body);
  res.writeHead(200, { 'content-type': JSON_CONTENT_TYPE, 'content-length': String(bytes.length) });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}

/**
 * Pads with whitespace before the closing bracket: still the same JSON document, so a client that
 * accepts it has no size limit. Streams with backpressure to keep the hub's memory flat.
 */
function sendPadded(res: ServerResponse, body: string, bytes: number, chunked: boolean): void {
  const total = Math.max(bytes, Buffer.byteLength(body));
  let remaining = total - Buffer.byteLength(body);
  res.writeHead(200, {
    'content-type': JSON_CONTENT_TYPE,
    ...(chunked ? {} : { 'content-length': String(total) }),
  });
  res.write(body.slice(0, -1));
  const block = ' '.repeat(64 * 1024);
  const pump = (): void => {
    while (remaining > 0) {
      if (res.destroyed) return;
      const size = Math.min(remaining, block.length);
      remaining -= size;
      if (!res.write(size === block.length ? block : block.slice(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(body.slice(-1));
  };
  pump();
}
