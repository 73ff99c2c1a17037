// Covers the request log: ids, one line per finished or aborted request, caller fields, no secrets.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ACCESS_TOKEN_PROPERTY, AccessToken } from '../zaikio';
import { anAccessToken } from '../zaikio/testing';
import { RequestLog, requestLogger } from './request-logger';
import { RequestLines } from './request-lines';

type Handler = (req: IncomingMessage & { log?: RequestLog }, res: ServerResponse) => void;

interface Harness {
  readonly url: string;
  readonly lines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const aToken = anAccessToken({ onBehalfOf: { id: 'person-1', roles: [] } });

/** A real HTTP server whose requests pass the middleware, logging into `lines`. */
async function serve(level: pino.LevelWithSilent, handler: Handler): Promise<Harness> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const middleware = requestLogger(pino({ level }, sink), new RequestLines(level, sink));
  const server: Server = createServer((req, res) => middleware(req, res, () => handler(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lines,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('requestLogger', () => {
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('writes one line per request with id, status, duration and the caller, never headers', async () => {
    harness = await serve('info', (req, res) => {
      (req as unknown as Record<string, unknown>)[ACCESS_TOKEN_PROPERTY] = aToken;
      res.end('ok');
    });
    const response = await fetch(`${harness.url}/api/v1/items?page=2`, {
      headers: { 'x-request-id': 'req-42', authorization: 'Bearer secret.token.value' },
    });
    expect(response.headers.get('x-request-id')).toBe('req-42');
    await settle();
    expect(harness.lines).toHaveLength(1);
    expect(harness.lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'req-42', method: 'GET', url: '/api/v1/items?page=2' },
      res: { statusCode: 200 },
      bearer: 'Organization/org-1',
      acting_person: 'person-1',
      audience: ['warehouse'],
      jti: 'jti-1',
    });
    expect(typeof harness.lines[0].responseTime).toBe('number');
    expect(JSON.stringify(harness.lines)).not.toContain('secret.token.value');
  });

  it('names each request’s own caller when tokens are reused across requests', async () => {
    const other: AccessToken = {
      ...aToken,
      bearer: { type: 'Person', id: 'person-9' },
      onBehalfOf: null,
      audiences: [
        { app: 'warehouse', credentialsName: 'ci' },
        { app: 'other', credentialsName: null },
      ],
      jti: null,
    };
    harness = await serve('info', (req, res) => {
      const token = req.url === '/other' ? other : aToken;
      (req as unknown as Record<string, unknown>)[ACCESS_TOKEN_PROPERTY] = token;
      res.end('ok');
    });
    for (const path of ['/first', '/other', '/first', '/other'])
      await fetch(`${harness.url}${path}`);
    await settle();
    const callers = harness.lines.map(({ bearer, acting_person, audience, jti }) => ({
      bearer,
      acting_person,
      audience,
      jti,
    }));
    const first = {
      bearer: 'Organization/org-1',
      acting_person: 'person-1',
      audience: ['warehouse'],
      jti: 'jti-1',
    };
    const second = {
      bearer: 'Person/person-9',
      acting_person: undefined,
      audience: ['warehouse/ci', 'other'],
      jti: undefined,
    };
    expect(callers).toEqual([first, second, first, second]);
  });

  it('replaces an unsafe X-Request-Id with a UUID', async () => {
    harness = await serve('info', (_req, res) => res.end());
    const response = await fetch(harness.url, { headers: { 'x-request-id': 'a b;c' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs a 500 as an error with its error id, a 503 as a warning', async () => {
    harness = await serve('info', (req, res) => {
      res.statusCode = req.url === '/down' ? 503 : 500;
      if (res.statusCode === 500) (res as { locals?: object }).locals = { errorId: 'err-7' };
      res.end();
    });
    await fetch(`${harness.url}/boom`);
    await fetch(`${harness.url}/down`);
    await settle();
    expect(harness.lines).toEqual([
      expect.objectContaining({ level: 50, msg: 'request errored', error_id: 'err-7' }),
      expect.objectContaining({ level: 40, res: { statusCode: 503 } }),
    ]);
  });

  it('says so when the client goes away before the response is complete', async () => {
    harness = await serve('info', (_req, res) => res.write('partial'));
    const socket = connect(Number(new URL(harness.url).port), '127.0.0.1');
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    socket.destroy();
    await settle();
    expect(harness.lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'request aborted',
        req: expect.objectContaining({ url: '/slow' }),
      }),
    ]);
  });

  it('writes nothing below the configured level, yet request.log still reaches it', async () => {
    harness = await serve('error', (req, res) => {
      req.log?.info({ detail: 'skipped' }, 'not written');
      req.log?.error({ detail: 'kept' }, 'written');
      res.end();
    });
    await fetch(`${harness.url}/quiet`, { headers: { 'x-request-id': 'quiet-1' } });
    await settle();
    expect(harness.lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'written',
        detail: 'kept',
        req: { id: 'quiet-1', method: 'GET', url: '/quiet' },
      }),
    ]);
  });
});
