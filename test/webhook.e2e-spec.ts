// Threat: forged Loom events; covers signature checks, revocation by webhook, duplicates, unknown events.
import { loomSignature } from '../src/zaikio';
import { errorCode, startApp, useHubAndApp, WEBHOOK_SECRET } from './support/app';
import { tokens } from './support/tokens';
import { revocationEvent } from './support/loom-events';

describe('Loom webhook (e2e)', () => {
  const ctx = useHubAndApp();

  const post = (body: string, signature?: string, contentType = 'application/json') =>
    fetch(`${ctx.server.url}/webhooks/zaikio`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...(signature === undefined ? {} : { 'x-loom-signature': signature }),
      },
      body,
    });

  const accepted = async (jti: string) =>
    (await ctx.server.get('/api/v1/token', tokens(ctx.hub).jti(jti).mint())).status === 200;

  it.each(['zaikio.revoked_access_token', 'directory.revoked_access_token'])(
    'revokes the token at once on a signed %s event',
    async (name) => {
      const jti = `webhook-${name}`;
      expect(await accepted(jti)).toBe(true);
      const body = revocationEvent(jti, { name });
      const response = await post(body, loomSignature(WEBHOOK_SECRET, body));
      expect(response.status).toBe(200);
      expect(await accepted(jti)).toBe(false);
    },
  );

  it('answers 2xx to a duplicate delivery and to unknown events', async () => {
    const body = revocationEvent('webhook-duplicate');
    const signature = loomSignature(WEBHOOK_SECRET, body);
    expect((await post(body, signature)).status).toBe(200);
    expect((await post(body, signature)).status).toBe(200);
    const unknown = JSON.stringify({ name: 'procurement.order_placed', payload: {} });
    expect((await post(unknown, loomSignature(WEBHOOK_SECRET, unknown))).status).toBe(200);
  });

  it.each([
    ['missing', () => undefined],
    ['wrong', () => loomSignature('not-the-secret', revocationEvent('forged-1'))],
    ['truncated', () => loomSignature(WEBHOOK_SECRET, revocationEvent('forged-1')).slice(0, 40)],
    [
      'upper-case hex',
      () => loomSignature(WEBHOOK_SECRET, revocationEvent('forged-1')).toUpperCase(),
    ],
  ])('refuses a %s signature with 401 and revokes nothing', async (_name, signature) => {
    const response = await post(revocationEvent('forged-1'), signature());
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('invalid_signature');
    expect(await accepted('forged-1')).toBe(true);
  });

  it('refuses a body altered after signing', async () => {
    const signature = loomSignature(WEBHOOK_SECRET, revocationEvent('original'));
    const response = await post(revocationEvent('tampered'), signature);
    expect(response.status).toBe(401);
    expect(await accepted('tampered')).toBe(true);
  });

  it('checks the signature before reading the body, whatever its content type', async () => {
    expect((await post('not json at all', 'f'.repeat(64), 'text/plain')).status).toBe(401);
    const signedGarbage = 'not json at all';
    const response = await post(signedGarbage, loomSignature(WEBHOOK_SECRET, signedGarbage));
    expect(response.status).toBe(422);
    expect(await errorCode(response)).toBe('invalid_event');
  });

  it('answers 422 to a signed revocation event without payload', async () => {
    const body = JSON.stringify({ name: 'zaikio.revoked_access_token' });
    const response = await post(body, loomSignature(WEBHOOK_SECRET, body));
    expect(response.status).toBe(422);
  });

  it('refuses every event when no secret is configured', async () => {
    const unconfigured = await startApp(ctx.hub, { config: { webhookSecret: null } });
    try {
      const body = revocationEvent('no-secret');
      const response = await fetch(`${unconfigured.url}/webhooks/zaikio`, {
        method: 'POST',
        headers: { 'x-loom-signature': loomSignature(WEBHOOK_SECRET, body) },
        body,
      });
      expect(response.status).toBe(401);
    } finally {
      await unconfigured.close();
    }
  });
});
