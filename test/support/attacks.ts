// Helpers for hostile-input tests: raw HTTP over sockets, hand-made JWS, forged signatures.
import { createHmac, generateKeyPair, KeyObject, sign } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { promisify } from 'node:util';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The `errors[0]` of a Zaikio error body, or null when the body is not one. */
export function codeOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    return Array.isArray(parsed.errors) ? String(parsed.errors[0]) : null;
  } catch {
    return null;
  }
}

function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Sends bytes exactly as given (no client-side header validation, unlike fetch) and reads the
 * answer until the server closes. The request should carry `Connection: close`.
 */
export function rawHttp(baseUrl: string, request: string | Buffer): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(20_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server that answers early (413) may reset while we still send: keep what it answered.
    socket.on('error', (error) => {
      if (chunks.length === 0) reject(error);
    });
    socket.on('close', () => {
      const data = Buffer.concat(chunks);
      const split = data.indexOf('\r\n\r\n');
      const head = data.subarray(0, split < 0 ? data.length : split).toString('latin1');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rawBody = split < 0 ? Buffer.alloc(0) : data.subarray(split + 4);
      const body = /chunked/i.test(headers['transfer-encoding'] ?? '')
        ? decodeChunked(rawBody)
        : rawBody;
      resolve({ status, headers, body: body.toString('utf8') });
    });
    // Not end(): a half-closed socket may be dropped before the answer is written.
    socket.write(request);
  });
}

/** A GET with exactly these extra header lines (each `Name: value`, sent verbatim). */
export function rawGet(baseUrl: string, path: string, headerLines: string[]): Promise<RawResponse> {
  const { host } = new URL(baseUrl);
  const lines = [`GET ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: close', ...headerLines];
  return rawHttp(baseUrl, `${lines.join('\r\n')}\r\n\r\n`);
}

/** Any method, with a JSON body when given. */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headerLines: string[],
  body?: string,
): Promise<RawResponse> {
  const { host } = new URL(baseUrl);
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `Host: ${host}`,
    'Connection: close',
    ...headerLines,
  ];
  if (body !== undefined) {
    lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  }
  return rawHttp(baseUrl, `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
}

export function b64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** `header.payload.signature` from JSON values or verbatim JSON text; signature as given. */
export function compact(header: unknown, payload: unknown, signature = ''): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return `${b64url(text(header))}.${b64url(text(payload))}.${signature}`;
}

/** An HMAC-signed JWS (the classic RS→HS confusion attack when `secret` is the public key). */
export function hmacJws(
  alg: 'HS256' | 'HS384' | 'HS512',
  secret: string,
  payload: unknown,
): string {
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  const input = `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

/** An RSA JWS over arbitrary header and payload with any key and hash (no alg check here). */
export function rsaJws(
  header: unknown,
  payload: unknown,
  key: KeyObject,
  hash: 'sha256' | 'sha384' | 'sha512' = 'sha256',
): string {
  const unsigned = compact(header, payload).slice(0, -1);
  return `${unsigned}.${b64url(sign(hash, Buffer.from(unsigned), key))}`;
}

/** Claims a real hub would put in an organization token for this app. */
export function hubClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'ZAI',
    sub: 'Organization/org-1',
    aud: ['warehouse'],
    jti: `attack-${Math.random().toString(36).slice(2)}`,
    nbf: now - 5,
    exp: now + 3600,
    scope: ['warehouse.items.rw'],
    ...overrides,
  };
}

export const generateRsa = promisify(generateKeyPair);

export async function attackerKey(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generateRsa('rsa', { modulusLength: 2048 });
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same bytes in a non-canonical base64url spelling: the unused low bits of the last character
 * set. Null when the segment has no unused bits (length divisible by 4).
 */
export function nonCanonical(segment: string): string | null {
  const unusedBits = { 0: 0, 2: 4, 3: 2, 1: 0 }[segment.length % 4] ?? 0;
  if (unusedBits === 0) return null;
  const index = ALPHABET.indexOf(segment.at(-1) ?? '');
  return segment.slice(0, -1) + ALPHABET[index ^ 1];
}

/** A server that counts requests: proves a URL named in a token is never fetched. */
export async function countingServer(body: string): Promise<{
  url: string;
  count: () => number;
  stop: () => Promise<void>;
}> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
