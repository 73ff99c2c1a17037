// Stand-in hub fault injection: every fault type as a client sees it over HTTP, plus request counts.
import { StandInHub } from './stand-in-hub';

const KEYS = '/api/v1/jwt_public_keys';
const REVOKED = '/api/v1/revoked_access_tokens';
const ROLES = '/api/v1/roles';

describe('StandInHub faults', () => {
  let hub: StandInHub;
  let keysBody: string;

  beforeEach(async () => {
    hub = await StandInHub.start();
    keysBody = await (await fetch(`${hub.url}${KEYS}`)).text();
    hub.resetCounts();
  });

  afterEach(async () => {
    await hub.stop();
  });

  const get = (path: string, init?: RequestInit): Promise<Response> =>
    fetch(`${hub.url}${path}`, init);

  it('status: answers with the status and a JSON error, or the given body and headers', async () => {
    hub.setFault('keys', { type: 'status', status: 500 });
    const res = await get(KEYS);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ errors: ['Internal Server Error'] });

    hub.setFault('revoked', {
      type: 'status',
      status: 429,
      body: 'slow down',
      headers: { 'retry-after': '1' },
    });
    const limited = await get(REVOKED);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.text()).toBe('slow down');
  });

  it('delay: answers normally after the delay', async () => {
    hub.setFault('keys', { type: 'delay', ms: 300 });
    const started = Date.now();
    const res = await get(KEYS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await res.text()).toBe(keysBody);
  });

  it('delay: stop() cancels answers still waiting', async () => {
    hub.setFault('keys', { type: 'delay', ms: 60_000 });
    const pending = get(KEYS).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await hub.stop();
    expect(await pending).toBe('fetch failed');
  });

  it('hang: never answers, and stop() still returns', async () => {
    hub.setFault('roles', { type: 'hang' });
    await expect(get(ROLES, { signal: AbortSignal.timeout(200) })).rejects.toThrow(
      /aborted|timeout/i,
    );
    // fetch's errors come from another realm than jest's, so match messages, not classes.
    const pending = get(ROLES).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await hub.stop();
    expect(await pending).toBe('fetch failed');
  });

  it('reset: the connection drops before any answer', async () => {
    hub.setFault('keys', { type: 'reset' });
    await expect(get(KEYS)).rejects.toThrow(/fetch failed/);
  });

  it('truncated: headers promise the full body, half arrives', async () => {
    hub.setFault('keys', { type: 'truncated' });
    const res = await get(KEYS);
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(keysBody));
    await expect(res.text()).rejects.toThrow();
  });

  it('non-json: a JSON content type over an HTML page', async () => {
    hub.setFault('revoked', { type: 'non-json' });
    const res = await get(REVOKED);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    await expect(res.json()).rejects.toThrow(/not valid JSON/);
  });

  it('wrong-content-type: the valid body labelled text/html', async () => {
    hub.setFault('keys', { type: 'wrong-content-type' });
    const res = await get(KEYS);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe(keysBody);
  });

  it('empty-keys: publishes no keys, and only applies to the keys endpoint', async () => {
    hub.setFault('keys', { type: 'empty-keys' });
    expect(await (await get(KEYS)).text()).toBe('{"keys":[]}');
    expect(() => hub.setFault('roles', { type: 'empty-keys' })).toThrow(/keys endpoint only/);
  });

  it.each([false, true])(
    'huge: the same JSON padded to the byte count (chunked %s)',
    async (chunked) => {
      const bytes = 3 * 1024 * 1024 + 7;
      hub.setFault('keys', { type: 'huge', bytes, chunked });
      const res = await get(KEYS);
      expect(res.headers.get('content-length')).toBe(chunked ? null : String(bytes));
      const text = await res.text();
      expect(Buffer.byteLength(text)).toBe(bytes);
      expect(JSON.parse(text)).toEqual(JSON.parse(keysBody));
    },
  );

  it('body: any body, content type and status', async () => {
    hub.setFault('roles', {
      type: 'body',
      body: '{"roles":"nope"}',
      contentType: 'text/plain',
      status: 203,
    });
    const res = await get(ROLES);
    expect(res.status).toBe(203);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(await res.text()).toBe('{"roles":"nope"}');
  });

  it('clearing a fault restores normal answers; other endpoints are unaffected', async () => {
    hub.setFault('keys', { type: 'status', status: 503 });
    expect((await get(ROLES)).status).toBe(200);
    expect((await get(KEYS)).status).toBe(503);
    hub.setFault('keys', null);
    expect(await (await get(KEYS)).text()).toBe(keysBody);
  });

  it('rejects invalid faults', () => {
    expect(() => hub.setFault('keys', { type: 'delay', ms: -1 })).toThrow(/ms must be/);
    expect(() => hub.setFault('keys', { type: 'status', status: 1000 })).toThrow(/status must be/);
  });

  it('counts requests per endpoint, both spellings and faulted ones included', async () => {
    hub.setFault('revoked', { type: 'status', status: 500 });
    await get(KEYS);
    await get(`${KEYS}.json`);
    await get(REVOKED);
    await get('/api/v1/unknown');
    expect(hub.requestCount('keys')).toBe(2);
    expect(hub.requestCount('revoked')).toBe(1);
    expect(hub.requestCount('roles')).toBe(0);
    hub.resetCounts();
    expect(hub.requestCount('keys')).toBe(0);
  });
});
