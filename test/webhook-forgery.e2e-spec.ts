// Threat: forged, altered, replayed and oversized Loom webhook calls; only correctly signed events change state.
// Complements test/webhook.e2e-spec.ts (happy path, basic signature refusals, no secret configured).
import { loomSignature } from '../src/zaikio';
import { WEBHOOK_SECRET, useHubAndApp } from './support/app';
import { codeOf, rawRequest } from './support/attacks';
import { tokens } from './support/tokens';
import { revocationEvent } from './support/loom-events';

const HOOK = '/webhooks/zaikio';

const sign = (body: string | Buffer) => loomSignature(WEBHOOK_SECRET, body);

interface Forgery {
  readonly name: string;
  /** The jti the forged event would revoke if it got through. */
  readonly jti: string;
  readonly body: string;
  /** Raw header lines, signature included (or not). */
  readonly headers: string[];
  readonly status: number;
  readonly code: string | null;
}

const event = (jti: string) => revocationEvent(jti);

const FORGERIES: Forgery[] = [
  {
    name: 'missing signature',
    jti: 'f-missing',
    body: event('f-missing'),
    headers: [],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'empty signature',
    jti: 'f-empty',
    body: event('f-empty'),
    headers: ['X-Loom-Signature: '],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'signature under another secret',
    jti: 'f-wrong',
    body: event('f-wrong'),
    headers: [`X-Loom-Signature: ${loomSignature('guessed-secret', event('f-wrong'))}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'truncated signature',
    jti: 'f-trunc',
    body: event('f-trunc'),
    headers: [`X-Loom-Signature: ${sign(event('f-trunc')).slice(0, 63)}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'signature padded with a character',
    jti: 'f-pad',
    body: event('f-pad'),
    headers: [`X-Loom-Signature: ${sign(event('f-pad'))}0`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'upper-case hex signature',
    jti: 'f-upper',
    body: event('f-upper'),
    headers: [`X-Loom-Signature: ${sign(event('f-upper')).toUpperCase()}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'sha256= prefixed signature',
    jti: 'f-prefix',
    body: event('f-prefix'),
    headers: [`X-Loom-Signature: sha256=${sign(event('f-prefix'))}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'base64 instead of hex',
    jti: 'f-b64',
    body: event('f-b64'),
    headers: [`X-Loom-Signature: ${Buffer.from(sign(event('f-b64')), 'hex').toString('base64')}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'two signature headers, correct one second',
    jti: 'f-two',
    body: event('f-two'),
    headers: [`X-Loom-Signature: ${'0'.repeat(64)}`, `X-Loom-Signature: ${sign(event('f-two'))}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'signature of the empty body',
    jti: 'f-emptybody',
    body: event('f-emptybody'),
    headers: [`X-Loom-Signature: ${sign('')}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'signature replayed from another event',
    jti: 'f-replay',
    body: event('f-replay'),
    headers: [`X-Loom-Signature: ${sign(event('genuine-other'))}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'body altered after signing (jti changed)',
    jti: 'f-alter',
    body: event('f-alter'),
    headers: [`X-Loom-Signature: ${sign(event('f-alteR'))}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'body altered after signing (whitespace appended)',
    jti: 'f-space',
    body: `${event('f-space')} `,
    headers: [`X-Loom-Signature: ${sign(event('f-space'))}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'body altered after signing (event renamed to a revocation)',
    jti: 'f-rename',
    body: revocationEvent('f-rename'),
    headers: [
      `X-Loom-Signature: ${sign(revocationEvent('f-rename', { name: 'procurement.order_placed' }))}`,
    ],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'signature over the body re-encoded as UTF-16',
    jti: 'f-utf16',
    body: event('f-utf16'),
    headers: [`X-Loom-Signature: ${sign(Buffer.from(event('f-utf16'), 'utf16le'))}`],
    status: 401,
    code: 'invalid_signature',
  },
  {
    name: 'body over the 64 kB limit, correctly signed',
    jti: 'f-huge',
    body: revocationEvent('f-huge', { padding: 'x'.repeat(70_000) }),
    headers: [
      `X-Loom-Signature: ${sign(revocationEvent('f-huge', { padding: 'x'.repeat(70_000) }))}`,
    ],
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'body of 2 MB, unsigned',
    jti: 'f-huge2',
    body: revocationEvent('f-huge2', { padding: 'x'.repeat(2_000_000) }),
    headers: [],
    status: 413,
    code: 'payload_too_large',
  },
];

/** Correctly signed but not a usable revocation: 422, and nothing is revoked. */
const SIGNED_MALFORMED: Array<[string, string]> = [
  ['non-JSON', 'name=zaikio.revoked_access_token&access_token_id=m-form'],
  ['JSON null', 'null'],
  ['an event without payload', JSON.stringify({ name: 'zaikio.revoked_access_token', id: 'm-1' })],
  ['a payload without access_token_id', revocationEvent('x', { payload: { token: 'm-nojti' } })],
  [
    'an access_token_id that is a number',
    revocationEvent('x', { payload: { access_token_id: 7 } }),
  ],
  [
    'an access_token_id that is a list',
    revocationEvent('x', { payload: { access_token_id: ['m-list'] } }),
  ],
  ['an empty access_token_id', revocationEvent('x', { payload: { access_token_id: '' } })],
  ['an event without name', JSON.stringify({ payload: { access_token_id: 'm-noname' } })],
];

describe('Loom webhook forgery (e2e)', () => {
  const ctx = useHubAndApp();

  const accepted = async (jti: string) =>
    (await ctx.server.get('/api/v1/token', tokens(ctx.hub).jti(jti).mint())).status === 200;

  const post = (body: string, headers: string[], contentType = 'application/json') =>
    rawRequest(ctx.server.url, 'POST', HOOK, [`Content-Type: ${contentType}`, ...headers], body);

  it.each(FORGERIES.map((forgery) => [forgery.name, forgery] as const))(
    'refuses %s and revokes nothing',
    async (_name, forgery) => {
      expect(await accepted(forgery.jti)).toBe(true);
      const headers = forgery.headers.filter((line) => !/^content-type/i.test(line));
      const response = await rawRequest(ctx.server.url, 'POST', HOOK, headers, forgery.body);
      expect({ status: response.status, code: codeOf(response.body) }).toEqual({
        status: forgery.status,
        code: forgery.code,
      });
      expect(await accepted(forgery.jti)).toBe(true);
    },
  );

  it.each(SIGNED_MALFORMED)('answers 422 to a signed %s and revokes nothing', async (_n, body) => {
    const response = await post(body, [`X-Loom-Signature: ${sign(body)}`]);
    expect(response.status).toBe(422);
    expect(codeOf(response.body)).toBe('invalid_event');
    for (const jti of ['m-form', 'm-nojti', 'm-list', 'm-noname', 'x']) {
      expect(await accepted(jti)).toBe(true);
    }
  });

  it('checks the signature of the raw bytes, whatever the content type claims', async () => {
    const body = event('ct-text');
    const wrong = await post(body, [`X-Loom-Signature: ${'a'.repeat(64)}`], 'text/plain');
    expect(wrong.status).toBe(401);
    expect(await accepted('ct-text')).toBe(true);
    const right = await post(body, [`X-Loom-Signature: ${sign(body)}`], 'text/plain');
    expect(right.status).toBe(200);
    expect(await accepted('ct-text')).toBe(false);
  });

  it('accepts a replayed genuine event idempotently, revoking only what it names', async () => {
    const body = event('replayed-genuine');
    const headers = [`X-Loom-Signature: ${sign(body)}`];
    expect(await accepted('replayed-bystander')).toBe(true);
    for (let i = 0; i < 3; i++) {
      const response = await post(body, headers);
      expect(response.status).toBe(200);
    }
    expect(await accepted('replayed-genuine')).toBe(false);
    expect(await accepted('replayed-bystander')).toBe(true);
  });

  it('accepts a correctly signed body just under the 64 kB limit', async () => {
    const body = revocationEvent('near-limit', { padding: 'x'.repeat(60_000) });
    expect(Buffer.byteLength(body)).toBeLessThan(64 * 1024);
    const response = await post(body, [`X-Loom-Signature: ${sign(body)}`]);
    expect(response.status).toBe(200);
    expect(await accepted('near-limit')).toBe(false);
  });

  it('is still up and honest after the whole forgery corpus', async () => {
    expect(await accepted('after-corpus')).toBe(true);
    const body = event('after-corpus');
    expect((await post(body, [`X-Loom-Signature: ${sign(body)}`])).status).toBe(200);
    expect(await accepted('after-corpus')).toBe(false);
  });
});
