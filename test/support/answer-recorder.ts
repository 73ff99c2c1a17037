// Jest-free, so a server in a child process can load it too (test/support/child-answers.preload.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Exchange } from '../../src/testing/api-contract';

type HeaderValue = Exchange['headers'][string];

/** Bodies beyond this are not kept (no API answer comes near it; Swagger UI's bundle does). */
const KEPT_BODY_BYTES = 1 << 20;

/**
 * Hands `onAnswer` the answer `response` sends to `request` as it is written (status, headers and
 * body), just before its last bytes leave, so the exchange is known before the client has it all.
 */
export function recordAnswer(
  request: IncomingMessage,
  response: ServerResponse,
  onAnswer: (exchange: Exchange) => void,
): void {
  const method = request.method ?? 'GET';
  const url = request.url ?? '/';
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown, encoding: unknown): void => {
    let bytes: Buffer;
    if (typeof chunk === 'string') {
      bytes = Buffer.from(
        chunk,
        typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
      );
    } else if (chunk instanceof Uint8Array) {
      bytes = Buffer.from(chunk);
    } else {
      return; // no chunk (end() alone) or a callback in its place
    }
    if (size < KEPT_BODY_BYTES) chunks.push(bytes);
    size += bytes.length;
  };
  // Headers given to writeHead() skip setHeader() when none were set before: getHeaders() misses them.
  const headedWith: Record<string, HeaderValue> = {};
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
  response.writeHead = (status: number, ...rest: unknown[]) => {
    Object.assign(headedWith, headerMap(rest.find((arg) => typeof arg === 'object' && arg)));
    return writeHead(status, ...rest);
  };
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  response.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    onAnswer({
      method,
      url,
      status: response.statusCode,
      headers: { ...response.getHeaders(), ...headedWith },
      body: Buffer.concat(chunks).toString('utf8'),
    });
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
}

/** writeHead()'s headers (an object, or names and values in one flat list) by lower-case name. */
function headerMap(headers: unknown): Record<string, HeaderValue> {
  if (!headers) return {};
  const pairs: [string, HeaderValue][] = Array.isArray(headers)
    ? headers.flatMap((name: unknown, at) =>
        at % 2 === 0 ? [[String(name), headers[at + 1]]] : [],
      )
    : Object.entries(headers as Record<string, HeaderValue>);
  return Object.fromEntries(pairs.map(([name, value]) => [name.toLowerCase(), value]));
}

/** Where a server in a child process appends its answers (test/support/child-answers.ts). */
export const CHILD_ANSWERS_FILE = 'E2E_CHILD_ANSWERS_FILE';

/** One line of that file: an answer and the port of the server that sent it. */
export interface ChildAnswer {
  readonly port: number;
  readonly exchange: Exchange;
}
