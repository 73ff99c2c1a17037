import { IncomingMessage, Server, ServerResponse } from 'node:http';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function sendBody(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = JSON_CONTENT_TYPE,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendBody(res, status, JSON.stringify(value));
}

/** Too large or not JSON: the admin routes answer 400/413 with the message. */
export class BadRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** Reads a request body as text; larger than the limit is a 413. */
export async function readTextBody(
  req: IncomingMessage,
  limitBytes = 1024 * 1024,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Drains an oversized body instead of breaking off: leaving the loop early would destroy the
  // socket before the 413 goes out.
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= limitBytes) chunks.push(buffer);
  }
  if (size > limitBytes) throw new BadRequestError(`body larger than ${limitBytes} bytes`, 413);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a JSON request body; an empty body reads as `undefined`. */
export async function readJsonBody(
  req: IncomingMessage,
  limitBytes = 1024 * 1024,
): Promise<unknown> {
  const text = await readTextBody(req, limitBytes);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError('body is not valid JSON');
  }
}

/** Reads an `application/x-www-form-urlencoded` body, as OAuth clients send it. */
export async function readFormBody(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readTextBody(req, 64 * 1024));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Serves `handle` on `host:port` (0: a free port); a handler that throws answers 500 with
 * `failure`, or breaks the connection when the answer had begun.
 */
export async function listenOn(
  server: Server,
  port: number,
  host: string,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  failure: unknown,
): Promise<void> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, failure);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
