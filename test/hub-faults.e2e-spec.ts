// Threat: a failing or hostile Zaikio hub; every fault is refused, and valid tokens keep working through it.
// Complements test/hub-keys.e2e-spec.ts (rotation, kid refetch limits, a first outage at boot).
import { StandInHub } from '../src/hub';
import type { Fault, HubEndpoint } from '../src/hub/faults';
import { ZaikioHubService } from '../src/zaikio';
import { errorCode, startApp, TestApp, WEBHOOK_SECRET } from './support/app';
import { eventually } from '../src/testing/eventually';
import { startHub } from './support/hub-fixture';
import { tokens } from './support/tokens';
import { loomSignature } from '../src/zaikio';

/** FAST_TUNING's hub timeout is 500 ms; the default size cap is 1 000 000 bytes. */
const TIMEOUT_MS = 500;

describe('hub faults while serving (e2e)', () => {
  let hub: StandInHub;
  let server: TestApp;
  let hubService: ZaikioHubService;

  beforeAll(async () => {
    hub = await startHub({ keyCount: 2 });
    server = await startApp(hub);
    hubService = server.app.get(ZaikioHubService);
  });

  afterAll(async () => {
    await server.close();
    await hub.stop();
  });

  afterEach(async () => {
    for (const endpoint of ['keys', 'roles', 'revoked'] as const) hub.setFault(endpoint, null);
    // Every test leaves the hub healthy and the server freshly loaded. A background retry started
    // during the fault may still be in flight (refresh() joins it), hence eventually.
    await eventually(() => hubService.keys.refresh());
    await eventually(() => hubService.roles.refresh());
    await eventually(() => hubService.revoked.refresh());
  });

  /** Fresh tokens each time, so the signature is really checked, not served from a cache. */
  async function expectValidTokensAccepted(): Promise<void> {
    for (const kid of hub.kids) {
      for (const token of [
        tokens(hub).signedWith(kid).scopes('warehouse.items.rw').mint(),
        tokens(hub).signedWith(kid).withoutKid().scopes('warehouse.items.rw').mint(),
      ]) {
        const response = await server.get('/api/v1/items?per_page=1', token);
        expect(response.status).toBe(200);
      }
    }
  }

  /** The keys endpoint misbehaves; the refresh fails, the last good keys stay in use. */
  async function survivesKeyFault(fault: Fault, lastError: RegExp): Promise<void> {
    await expectValidTokensAccepted();
    hub.setFault('keys', fault);
    const before = hub.requestCount('keys');
    const started = Date.now();
    expect(await hubService.keys.refresh()).toBe(false);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(hub.requestCount('keys')).toBeGreaterThan(before);
    const status = hubService.keys.status();
    expect(status.loaded).toBe(true);
    expect(status.lastError).toMatch(lastError);
    await expectValidTokensAccepted();
    // Forged tokens stay refused while the hub is down.
    const forged = tokens(hub).header({ kid: 'forged-during-outage' }).mint();
    expect((await server.get('/api/v1/token', forged)).status).toBe(401);
    expect((await server.get('/health')).status).toBe(200);
  }

  it('survives 500 Internal Server Error', () =>
    survivesKeyFault({ type: 'status', status: 500 }, /answered 500/));

  it('survives 429 Too Many Requests', () =>
    survivesKeyFault(
      { type: 'status', status: 429, headers: { 'retry-after': '3600' } },
      /answered 429/,
    ));

  it('survives 503 with a valid-looking key set in the body', () =>
    survivesKeyFault({ type: 'status', status: 503, body: '{"keys":[]}' }, /answered 503/));

  it('survives a response slower than the timeout', () =>
    survivesKeyFault({ type: 'delay', ms: TIMEOUT_MS * 4 }, /failed|abort|timeout/i));

  it('survives a connection that never answers', () =>
    survivesKeyFault({ type: 'hang' }, /failed|abort|timeout/i));

  it('survives a connection reset', () => survivesKeyFault({ type: 'reset' }, /failed/));

  it('survives a truncated body', () =>
    survivesKeyFault({ type: 'truncated' }, /body failed|not JSON|failed/));

  it('survives a non-JSON body labelled JSON', () =>
    survivesKeyFault({ type: 'non-json' }, /not JSON/));

  it('survives the right body with a wrong content type', () =>
    survivesKeyFault({ type: 'wrong-content-type' }, /content-type "text\/html/));

  it('survives an empty key set', () =>
    survivesKeyFault({ type: 'empty-keys' }, /no usable RS256 signing key/));

  it('survives a key set of only unusable keys (enc, short, non-RSA)', () =>
    survivesKeyFault(
      {
        type: 'body',
        body: JSON.stringify({
          keys: [
            { ...hub.publicJwkOf(hub.kids[0]), use: 'enc' },
            { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'short' },
            { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' },
          ],
        }),
      },
      /no usable RS256 signing key/,
    ));

  it.each([
    ['null', 'null'],
    ['a list', '[]'],
    ['keys not a list', '{"keys":"all"}'],
  ])('survives a JSON body that is %s', (_name, body) =>
    survivesKeyFault({ type: 'body', body }, /not \{"keys"/),
  );

  it('refuses a body of several megabytes with content-length past the size cap', () =>
    survivesKeyFault({ type: 'huge', bytes: 5_000_000 }, /5000000 bytes, more than 1000000/));

  it('refuses a chunked body of several megabytes at the size cap', () =>
    survivesKeyFault({ type: 'huge', bytes: 5_000_000, chunked: true }, /more than 1000000 bytes/));

  it('stops trusting a removed key after the next refresh and not before, through a later outage', async () => {
    const removable = await hub.addKey();
    await hubService.keys.refresh();
    // Minted with the private key directly: the hub forgets it on removal, an attacker may not.
    const privateKey = hub.privateKeyOf(removable);
    const claims = tokens(hub).claims();
    const kidless = () => hub.mint(claims, { kid: removable, includeKid: false, privateKey });
    const named = () => hub.mint(claims, { kid: removable, privateKey });
    const early = kidless();
    expect((await server.get('/api/v1/token', early)).status).toBe(200);

    await hub.removeKey(removable);
    // Not refreshed yet: the removed key is still trusted (the one-hour cache rule allows it).
    expect((await server.get('/api/v1/token', named())).status).toBe(200);
    expect(await hubService.keys.refresh()).toBe(true);
    for (const token of [early, kidless(), named()]) {
      const response = await server.get('/api/v1/token', token);
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe('invalid_jwt');
    }
    // A failing hub afterwards never brings the removed key back, and the others keep working.
    hub.setFault('keys', { type: 'status', status: 500 });
    expect(await hubService.keys.refresh()).toBe(false);
    expect((await server.get('/api/v1/token', kidless())).status).toBe(401);
    await expectValidTokensAccepted();
  });

  it('keeps role checks working on the last good role list while the roles endpoint fails', async () => {
    const owner = tokens(hub)
      .onBehalf('p-1', 'org-roles')
      .roles('owner')
      .scopes('warehouse.items.rw');
    const created = await server.send(
      'POST',
      '/api/v1/items',
      { sku: 'R-1', name: 'roles', quantity: 1, unit: 'pieces' },
      owner.mint(),
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    hub.setFault('roles', { type: 'status', status: 500 });
    expect(await hubService.roles.refresh()).toBe(false);
    expect(hubService.roles.value).not.toBeNull();
    const member = tokens(hub)
      .onBehalf('p-2', 'org-roles')
      .roles('member')
      .scopes('warehouse.items.rw');
    const refused = await server.send('DELETE', `/api/v1/items/${id}`, undefined, member.mint());
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe('unpermitted_role');
    const deleted = await server.send('DELETE', `/api/v1/items/${id}`, undefined, owner.mint());
    expect(deleted.status).toBe(204);
    await expectValidTokensAccepted();
  });

  it('keeps revocations and valid tokens while the revocation endpoint fails', async () => {
    const revoked = tokens(hub).jti('revoked-before-outage');
    await hub.revoke('revoked-before-outage');
    expect(await hubService.revoked.refresh()).toBe(true);
    expect((await server.get('/api/v1/token', revoked.mint())).status).toBe(401);

    hub.setFault('revoked', { type: 'hang' });
    expect(await hubService.revoked.refresh()).toBe(false);
    // The last good list is kept, not forgotten.
    expect((await server.get('/api/v1/token', revoked.mint())).status).toBe(401);
    // The webhook still revokes while the hub cannot be read.
    const body = JSON.stringify({
      name: 'zaikio.revoked_access_token',
      payload: { access_token_id: 'revoked-by-webhook-during-outage' },
    });
    const hook = await fetch(`${server.url}/webhooks/zaikio`, {
      method: 'POST',
      headers: { 'x-loom-signature': loomSignature(WEBHOOK_SECRET, body) },
      body,
    });
    expect(hook.status).toBe(200);
    const byWebhook = tokens(hub).jti('revoked-by-webhook-during-outage').mint();
    expect((await server.get('/api/v1/token', byWebhook)).status).toBe(401);
    await expectValidTokensAccepted();
  });

  it.each<[HubEndpoint, Fault]>([
    ['roles', { type: 'non-json' }],
    ['roles', { type: 'body', body: '[{"id":7}]' }],
    ['revoked', { type: 'huge', bytes: 3_000_000, chunked: true }],
    ['revoked', { type: 'body', body: '{"revoked_token_ids":[1,2]}' }],
  ])('keeps the last good %s list when the hub sends %j', async (endpoint, fault) => {
    const resource = endpoint === 'roles' ? hubService.roles : hubService.revoked;
    const before = resource.value;
    hub.setFault(endpoint, fault);
    expect(await resource.refresh()).toBe(false);
    expect(resource.value).toBe(before);
    await expectValidTokensAccepted();
  });
});

describe('hub without any usable key from the start (e2e)', () => {
  it.each<[string, Fault]>([
    ['an empty key set', { type: 'empty-keys' }],
    ['a hanging keys endpoint', { type: 'hang' }],
  ])('answers 503 hub_unavailable, never 401, with %s; then recovers', async (_name, fault) => {
    const hub = await startHub();
    hub.setFault('keys', fault);
    const server = await startApp(hub);
    try {
      const valid = tokens(hub).mint();
      const refused = await server.get('/api/v1/token', valid);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).not.toBeNull();
      expect(await errorCode(refused)).toBe('hub_unavailable');
      // Malformed tokens are still the client's fault, keys or no keys.
      const malformed = await server.get('/api/v1/token', 'not.a.token');
      expect(malformed.status).toBe(401);

      hub.setFault('keys', null);
      await eventually(
        async () => (await server.get('/api/v1/token', valid)).status === 200,
        5_000,
      );
    } finally {
      await server.close();
      await hub.stop();
    }
  });
});
