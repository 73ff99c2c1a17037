// Covers the verified-token cache: its bound and eviction, and that a cached token is still refused once revoked, expired or its key unpublished.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { StandInHub } from '../../hub';
import { ZaikioAuthError } from '../errors/zaikio-auth.error';
import { ZaikioHubService } from '../hub-client/zaikio-hub.service';
import { VerificationKey } from '../keys/key-set';
import { InMemoryRevocationStore } from '../revocation/revocation-store';
import { ZaikioAuthOptions } from '../zaikio-auth.options';
import { AccessToken } from './access-token';
import { ValidatedClaims } from './claims';
import { memoized, TokenMemoSlot } from './token-memo';
import { TokenVerifier } from './token-verifier';
import { tokenDigest, VerifiedEntry, VerifiedTokenCache } from './verified-token-cache';

function keyNamed(kid: string): VerificationKey {
  return { kid, key: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey };
}

const KEY_A = keyNamed('a');
const KEY_B = keyNamed('b');

function entry(key: VerificationKey = KEY_A): VerifiedEntry {
  const claims: ValidatedClaims = {
    subject: { bearer: { type: 'Organization', id: 'org-1' }, personId: null },
    audiences: [{ app: 'warehouse', credentialsName: null }],
    personal: false,
    scopes: [{ app: 'warehouse', name: 'items', permission: 'r' }],
    jti: randomUUID(),
    expiresAt: Date.now() / 1000 + 3600,
    roleBits: 0,
  };
  return { key, claims };
}

describe('VerifiedTokenCache', () => {
  it('never holds more than maxEntries and drops the least recently used first', () => {
    const cache = new VerifiedTokenCache(10);
    for (let i = 0; i < 10; i++) cache.set(`t${i}`, entry());
    // t0 is used again, so it outlives the tokens that were not.
    expect(cache.get('t0')).toBeDefined();
    for (let i = 10; i < 14; i++) cache.set(`t${i}`, entry());
    expect(cache.get('t0')).toBeDefined();
    expect(cache.get('t1')).toBeUndefined();
    for (let i = 14; i < 1000; i++) {
      cache.set(`t${i}`, entry());
      expect(cache.size).toBeLessThanOrEqual(10);
    }
    // The most recent half is always there; anything unused for maxEntries insertions is gone.
    for (let i = 995; i < 1000; i++) expect(cache.get(`t${i}`)).toBeDefined();
    expect(cache.get('t0')).toBeUndefined();
    expect(cache.get('t989')).toBeUndefined();
  });

  it('drops the entries of keys that are no longer published', () => {
    const cache = new VerifiedTokenCache();
    cache.set('by-a', entry(KEY_A));
    cache.set('by-b', entry(KEY_B));
    cache.retainKeys([KEY_B]);
    expect(cache.get('by-a')).toBeUndefined();
    expect(cache.get('by-b')).toBeDefined();
    expect(cache.size).toBe(1);
  });

  it('freezes what it shares between requests', () => {
    const cache = new VerifiedTokenCache();
    cache.set('t', entry());
    const { claims } = cache.get('t')!;
    expect(Object.isFrozen(claims)).toBe(true);
    expect(Object.isFrozen(claims.scopes)).toBe(true);
    expect(Object.isFrozen(claims.scopes[0])).toBe(true);
    expect(Object.isFrozen(claims.audiences[0])).toBe(true);
    expect(Object.isFrozen(claims.subject.bearer)).toBe(true);
  });

  it('keys on a digest of the whole token: one changed character is another entry', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJaQUkifQ.c2lnbmF0dXJl';
    expect(tokenDigest(token)).toBe(tokenDigest(`${token}`));
    expect(tokenDigest(token)).not.toBe(tokenDigest(`${token.slice(0, -1)}M`));
    expect(tokenDigest(token)).not.toContain('eyJ');
  });

  it('admits a token on its second offer within the last maxEntries first sightings', () => {
    const cache = new VerifiedTokenCache(10);
    const digest = (n: number) => tokenDigest(`token-${n}`);
    expect(cache.offer(digest(0), entry())).toBe(false);
    expect(cache.get(digest(0))).toBeUndefined();
    expect(cache.offer(digest(0), entry())).toBe(true);
    expect(cache.get(digest(0))).toBeDefined();

    expect(cache.offer(digest(1), entry())).toBe(false);
    // Ten other tokens seen once wipe the record of token 1: its next offer is a first one again.
    for (let n = 2; n < 12; n++) expect(cache.offer(digest(n), entry())).toBe(false);
    expect(cache.offer(digest(1), entry())).toBe(false);
    expect(cache.offer(digest(1), entry())).toBe(true);
  });

  it('refuses a bound it cannot keep', () => {
    expect(() => new VerifiedTokenCache(1)).toThrow();
    expect(() => new VerifiedTokenCache(2.5)).toThrow();
  });
});

describe('TokenVerifier with its verified-token cache (real stand-in hub)', () => {
  const TOLERANCE = 30;
  let hub: StandInHub;
  let service: ZaikioHubService;
  let verifier: TokenVerifier;

  beforeEach(async () => {
    hub = await StandInHub.start({ keyCount: 2 });
    const options: ZaikioAuthOptions = {
      hubUrl: hub.url,
      appName: 'warehouse',
      audiences: ['warehouse'],
      personalTokens: 'deny',
      clockToleranceSeconds: TOLERANCE,
      webhookSecret: null,
      // Only explicit refresh() calls below fetch the hub again.
      keyFetchMinIntervalMs: 60_000,
    };
    const revocations = new InMemoryRevocationStore();
    service = new ZaikioHubService(options, revocations);
    await service.onApplicationBootstrap();
    verifier = new TokenVerifier(options, service, revocations);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    service.onApplicationShutdown();
    await hub.stop();
  });

  /** How often the verifier went past its cache (to the keys and the signature). */
  function countFullChecks(): () => number {
    // Every full check looks up the loaded keys for the token's kid; a cache hit does not.
    const spy = jest.spyOn(service.keys, 'loadedCandidates');
    const before = spy.mock.calls.length;
    return () => spy.mock.calls.length - before;
  }

  /** Verifies a token until the cache holds it: it is cached the second time it verifies. */
  async function cacheToken(token: string): Promise<void> {
    await verifier.verify(token);
    await verifier.verify(token);
    const fullChecks = countFullChecks();
    await verifier.verify(token);
    expect(fullChecks()).toBe(0);
  }

  async function refusal(token: string): Promise<ZaikioAuthError> {
    const error: unknown = await verifier.verify(token).then(
      () => new Error('expected the token to be refused'),
      (reason: unknown) => reason,
    );
    if (!(error instanceof ZaikioAuthError)) throw error;
    return error;
  }

  it('caches a token the second time it verifies, then checks keys and signature no more', async () => {
    const fullChecks = countFullChecks();
    const token = hub.mint({ sub: 'Organization/org-1', scope: ['warehouse.items.r'] });
    const first = await verifier.verify(token);
    await verifier.verify(token);
    const fromCache = await verifier.verify(token);
    await verifier.verify(token);
    expect(fullChecks()).toBe(2);
    expect([first.fromCache, fromCache.fromCache]).toEqual([false, true]);
    expect(fromCache.token).toEqual(first.token);
    expect(fromCache.token.bearer).toEqual({ type: 'Organization', id: 'org-1' });
  });

  it('hands out one token object per cached token, so what consumers memoize is derived once', async () => {
    const slot = new TokenMemoSlot<string>('spec');
    const derive = jest.fn((token: AccessToken) => `caller ${token.bearer.id}`);
    const raw = hub.mint({ sub: 'Organization/org-1', scope: ['warehouse.items.r'] });
    await cacheToken(raw);
    const hits = await Promise.all([verifier.verify(raw), verifier.verify(raw)]);
    const values = hits.map(({ token }) => memoized(token, slot, derive));
    expect(values).toEqual(['caller org-1', 'caller org-1']);
    expect(derive).toHaveBeenCalledTimes(1);
    // Another token of the same organization derives its own.
    const other = await verifier.verify(hub.mint({ sub: 'Organization/org-1', scope: [] }));
    memoized(other.token, slot, derive);
    expect(derive).toHaveBeenCalledTimes(2);
  });

  it("reports the caller's check for a token that neither the cache knows nor decodes", async () => {
    const token = hub.mint({ sub: 'Organization/org-1', scope: ['warehouse.items.r'] });
    await cacheToken(token);
    const checked: string[] = [];
    const check = (raw: string) => void checked.push(raw);
    await verifier.verifyNow(token, check);
    const unknown = hub.mint({ sub: 'Organization/org-2', scope: ['warehouse.items.r'] });
    await verifier.verifyNow(unknown, check);
    const mangled = `${token} x`;
    await Promise.resolve(verifier.verifyNow(mangled, check)).catch(() => undefined);
    // Neither the cached nor the new decodable token needed it; the mangled one did.
    expect(checked).toEqual([mangled]);

    const refuse = () => {
      throw new ZaikioAuthError('invalid_jwt', 'refused by the check');
    };
    const error: unknown = await Promise.resolve(verifier.verifyNow(mangled, refuse)).catch(
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({ code: 'invalid_jwt', description: 'refused by the check' });
  });

  it('verifies the new tokens of one turn of the event loop together, after that turn', async () => {
    const fullChecks = countFullChecks();
    const tokens = ['org-a', 'org-b', 'org-c'].map((id) =>
      hub.mint({ sub: `Organization/${id}`, scope: ['warehouse.items.r'] }),
    );
    const answers = tokens.map((token) => Promise.resolve(verifier.verifyNow(token)));
    // Decoded at once, verified later: nothing has touched a key yet.
    expect(fullChecks()).toBe(0);
    const verified = await Promise.all(answers);
    expect(fullChecks()).toBe(3);
    expect(verified.map(({ token }) => token.bearer.id)).toEqual(['org-a', 'org-b', 'org-c']);
  });

  it('does not cache tokens used only once', async () => {
    const fullChecks = countFullChecks();
    for (let i = 0; i < 5; i++) await verifier.verify(hub.mint());
    expect(fullChecks()).toBe(5);
  });

  it('refuses a token revoked after it was cached', async () => {
    const jti = randomUUID();
    const token = hub.mint({ jti });
    await cacheToken(token);
    await hub.revoke(jti);
    await service.revoked.refresh();
    const error = await refusal(token);
    expect(error.code).toBe('invalid_jwt');
    expect(error.description).toBe('The access token has been revoked.');
  });

  it('refuses a cached token once its key is no longer published', async () => {
    const kid = hub.signingKid;
    const named = hub.mint({}, { kid });
    const kidless = hub.mint({}, { kid, includeKid: false });
    await cacheToken(named);
    await cacheToken(kidless);
    await hub.removeKey(kid);
    await service.keys.refresh();
    expect((await refusal(named)).code).toBe('invalid_jwt');
    expect((await refusal(kidless)).code).toBe('invalid_jwt');
    // The other key's tokens are unaffected.
    await verifier.verify(hub.mint({}, { kid: hub.kids[0] }));
  });

  it('re-checks the key at every hit, even for an entry cached while its key was removed', async () => {
    const kid = hub.signingKid;
    const token = hub.mint({}, { kid });
    await verifier.verify(token);
    const candidates = service.keys.candidates.bind(service.keys);
    // The key set changes while the verification that caches the token is under way: the purge
    // runs before it caches. Only a check that waits for the key set can be overtaken like this
    // (at start-up, no keys loaded yet); a token of a loaded key is checked without waiting.
    jest.spyOn(service.keys, 'loadedCandidates').mockReturnValueOnce(null);
    jest.spyOn(service.keys, 'candidates').mockImplementationOnce(async (wanted) => {
      const found = await candidates(wanted);
      await hub.removeKey(kid);
      await service.keys.refresh();
      return found;
    });
    await verifier.verify(token);
    expect((await refusal(token)).code).toBe('invalid_jwt');
  });

  it('refuses a cached token once it has expired, as jwt_expired', async () => {
    const now = Date.now();
    const token = hub.mint({ exp: Math.floor(now / 1000) + 60 });
    await cacheToken(token);
    jest.spyOn(Date, 'now').mockReturnValue(now + (60 + TOLERANCE - 1) * 1000);
    await verifier.verify(token);
    jest.spyOn(Date, 'now').mockReturnValue(now + (60 + TOLERANCE + 1) * 1000);
    expect((await refusal(token)).code).toBe('jwt_expired');
  });

  it('keeps cached tokens when a refresh republishes the same keys', async () => {
    const token = hub.mint();
    await cacheToken(token);
    await hub.rotateKey();
    await service.keys.refresh();
    const fullChecks = countFullChecks();
    await verifier.verify(token);
    expect(fullChecks()).toBe(0);
  });

  it('does not let a tampered copy of a cached token through', async () => {
    const token = hub.mint({ sub: 'Organization/org-1' });
    await cacheToken(token);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as object;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'Organization/org-2' }));
    expect((await refusal(`${header}.${forged.toString('base64url')}.${signature}`)).code).toBe(
      'invalid_jwt',
    );
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect((await refusal(`${header}.${payload}.${flipped}`)).code).toBe('invalid_jwt');
  });

  it('does not cache refusals: a token refused for its audience stays refused', async () => {
    const fullChecks = countFullChecks();
    const token = hub.mint({ aud: ['another_app'] });
    expect((await refusal(token)).code).toBe('unpermitted_audience');
    expect((await refusal(token)).code).toBe('unpermitted_audience');
    expect(fullChecks()).toBe(2);
  });
});
