// Stand-in hub admin HTTP API (/_standin/*): minting, revocation, rotation, key removal, faults.
import { StandInHub } from './stand-in-hub';

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('StandInHub admin API', () => {
  let hub: StandInHub;

  beforeEach(async () => {
    hub = await StandInHub.start();
  });

  afterEach(async () => {
    await hub.stop();
  });

  const call = (method: string, path: string, body?: unknown, raw?: string): Promise<Response> =>
    fetch(`${hub.url}/_standin/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });

  it('POST tokens mints with claims, options and omitted claims', async () => {
    const rotated = await hub.rotateKey();
    const res = await call('POST', 'tokens', {
      claims: { sub: 'Organization/abc', scope: ['warehouse.items.r'] },
      options: { kid: hub.kids[0], includeKid: false },
      omit: ['iss'],
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    const header = JSON.parse(
      Buffer.from(token.split('.')[0], 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(header).toEqual({ alg: 'RS256' });
    expect(hub.kids[0]).not.toBe(rotated);
    const payload = payloadOf(token);
    expect(payload).toMatchObject({ sub: 'Organization/abc', scope: ['warehouse.items.r'] });
    expect(payload).not.toHaveProperty('iss');
  });

  it('POST tokens with no body mints a default token', async () => {
    const res = await call('POST', 'tokens');
    expect(res.status).toBe(201);
    expect(payloadOf(((await res.json()) as { token: string }).token).iss).toBe('ZAI');
  });

  it.each([
    ['bad JSON', undefined, '{"claims":'],
    ['non-object body', [1], undefined],
    ['non-object claims', { claims: 'x' }, undefined],
    ['bad options', { options: { includeKid: 'no' } }, undefined],
    ['unknown kid', { options: { kid: 'nope' } }, undefined],
    ['bad omit', { omit: 'iss' }, undefined],
  ])('POST tokens answers 400 on %s', async (_case, body, raw) => {
    const res = await call('POST', 'tokens', body, raw);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });

  it('POST revoke publishes the jti; 400 without one', async () => {
    expect((await call('POST', 'revoke', { jti: 'j-1' })).status).toBe(200);
    expect(hub.revokedTokenIds).toEqual(['j-1']);
    const listed = await fetch(`${hub.url}/api/v1/revoked_access_tokens`);
    expect(await listed.json()).toEqual({ revoked_token_ids: ['j-1'] });
    expect((await call('POST', 'revoke', { jti: 3 })).status).toBe(400);
    expect((await call('POST', 'revoke', undefined, 'nope')).status).toBe(400);
  });

  it('POST rotate answers the new signing kid', async () => {
    const res = await call('POST', 'rotate');
    const { kid } = (await res.json()) as { kid: string };
    expect(kid).toBe(hub.signingKid);
    expect(hub.kids).toHaveLength(2);
  });

  it('DELETE keys/:kid unpublishes; 404 for an unknown kid', async () => {
    const old = hub.signingKid;
    await hub.rotateKey();
    expect((await call('DELETE', `keys/${encodeURIComponent(old)}`)).status).toBe(200);
    expect(hub.kids).not.toContain(old);
    expect((await call('DELETE', `keys/${encodeURIComponent(old)}`)).status).toBe(404);
  });

  it('PUT faults/:endpoint sets and clears a fault; validates it', async () => {
    expect((await call('PUT', 'faults/keys', { type: 'status', status: 502 })).status).toBe(200);
    expect((await fetch(`${hub.url}/api/v1/jwt_public_keys`)).status).toBe(502);
    expect((await call('PUT', 'faults/keys', null)).status).toBe(200);
    expect((await fetch(`${hub.url}/api/v1/jwt_public_keys`)).status).toBe(200);

    expect((await call('PUT', 'faults/keys', { type: 'explode' })).status).toBe(400);
    expect((await call('PUT', 'faults/roles', { type: 'empty-keys' })).status).toBe(400);
    expect((await call('PUT', 'faults/keys', undefined, '{')).status).toBe(400);
    expect((await call('PUT', 'faults/nope', null)).status).toBe(404);
  });

  it('GET and DELETE counts', async () => {
    await fetch(`${hub.url}/api/v1/roles`);
    expect(await (await call('GET', 'counts')).json()).toEqual({ keys: 0, revoked: 0, roles: 1 });
    await call('DELETE', 'counts');
    expect(hub.requestCount('roles')).toBe(0);
  });

  it('answers 404 for unknown routes and methods', async () => {
    expect((await call('GET', 'tokens')).status).toBe(404);
    expect((await call('POST', 'nothing')).status).toBe(404);
    expect((await call('POST', 'rotate/extra')).status).toBe(404);
  });

  it('answers 413 for oversized bodies', async () => {
    const res = await call('POST', 'revoke', undefined, `{"jti":"${'x'.repeat(1024 * 1024)}"}`);
    expect(res.status).toBe(413);
  });
});
