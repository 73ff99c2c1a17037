// Stand-in hub over real HTTP: exact endpoint bodies, key rotation/removal, revocation, minting.
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { DEFAULT_ROLES } from './claims';
import { PublishedJwk } from './keyring';
import { StandInHub } from './stand-in-hub';

const JSON_TYPE = 'application/json; charset=utf-8';

function decode(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

function verifies(token: string, jwk: PublishedJwk): boolean {
  const [header, payload, signature] = token.split('.');
  const key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  return verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    key,
    Buffer.from(signature, 'base64url'),
  );
}

async function publishedKeys(hub: StandInHub): Promise<PublishedJwk[]> {
  const res = await fetch(`${hub.url}/api/v1/jwt_public_keys`);
  return ((await res.json()) as { keys: PublishedJwk[] }).keys;
}

describe('StandInHub', () => {
  let hub: StandInHub;

  beforeEach(async () => {
    hub = await StandInHub.start();
  });

  afterEach(async () => {
    await hub.stop();
  });

  it('listens on a free loopback port', () => {
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hub.port).toBeGreaterThan(0);
  });

  describe('public endpoints', () => {
    it.each(['/api/v1/jwt_public_keys', '/api/v1/jwt_public_keys.json'])(
      'serves the keys at %s',
      async (path) => {
        const res = await fetch(`${hub.url}${path}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(JSON_TYPE);
        const jwk = hub.publicJwkOf(hub.signingKid);
        expect(await res.text()).toBe(
          `{"keys":[{"kty":"RSA","n":"${jwk.n}","e":"AQAB","kid":"${hub.signingKid}","use":"sig","alg":"RS256"}]}`,
        );
      },
    );

    it.each(['/api/v1/revoked_access_tokens', '/api/v1/revoked_access_tokens.json'])(
      'serves the revoked token ids at %s',
      async (path) => {
        expect(await (await fetch(`${hub.url}${path}`)).text()).toBe('{"revoked_token_ids":[]}');
        await hub.revoke('jti-1');
        await hub.revoke('jti-2');
        await hub.revoke('jti-1');
        const res = await fetch(`${hub.url}${path}`);
        expect(res.headers.get('content-type')).toBe(JSON_TYPE);
        expect(await res.text()).toBe('{"revoked_token_ids":["jti-1","jti-2"]}');
      },
    );

    it.each(['/api/v1/roles', '/api/v1/roles.json'])(
      'serves the roles in order at %s',
      async (path) => {
        const res = await fetch(`${hub.url}${path}`);
        expect(res.headers.get('content-type')).toBe(JSON_TYPE);
        expect(await res.text()).toBe(
          '[{"id":"owner","name":"Owner"},{"id":"admin","name":"Admin"},{"id":"member","name":"Member"},' +
            '{"id":"purchaser","name":"Purchaser"},{"id":"production_planner","name":"Production Planner"},' +
            '{"id":"customer_service_representative","name":"Customer Service Representative"},' +
            '{"id":"sales_representative","name":"Sales Representative"},' +
            '{"id":"designer","name":"Designer"},{"id":"developer","name":"Developer"}]',
        );
      },
    );

    it('ignores query strings', async () => {
      const res = await fetch(`${hub.url}/api/v1/roles?page=1`);
      expect(res.status).toBe(200);
    });

    it.each([
      ['GET', '/api/v1/unknown'],
      ['GET', '/'],
      ['POST', '/api/v1/roles'],
    ])('answers %s %s with a JSON 404', async (method, path) => {
      const res = await fetch(`${hub.url}${path}`, { method });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe(JSON_TYPE);
      expect(await res.json()).toEqual({ errors: ['not_found'] });
    });
  });

  describe('keys', () => {
    it('rotation publishes a new signing key and keeps the old one', async () => {
      const first = hub.signingKid;
      const second = await hub.rotateKey();
      expect(second).not.toBe(first);
      expect(hub.signingKid).toBe(second);
      expect(hub.kids).toEqual([first, second]);
      expect((await publishedKeys(hub)).map((k) => k.kid)).toEqual([first, second]);
      expect(decode(hub.mint()).header.kid).toBe(second);
    });

    it('removal unpublishes a key and falls back to the newest remaining signing key', async () => {
      const first = hub.signingKid;
      const second = await hub.rotateKey();
      expect(await hub.removeKey(second)).toBe(true);
      expect(await hub.removeKey('no-such-kid')).toBe(false);
      expect((await publishedKeys(hub)).map((k) => k.kid)).toEqual([first]);
      expect(hub.signingKid).toBe(first);
      expect(() => hub.mint({}, { kid: second })).toThrow(/no published key/);
    });

    it('publishes attack keys as asked without making them the signing key', async () => {
      const signing = hub.signingKid;
      const enc = await hub.addKey({ use: 'enc' });
      const hidden = await hub.addKey({ alg: 'RS512', publishKid: false });
      const bare = await hub.addKey({ use: null, alg: null });
      expect(hub.signingKid).toBe(signing);
      const keys = await publishedKeys(hub);
      expect(keys[1]).toMatchObject({ kid: enc, use: 'enc', alg: 'RS256' });
      expect(keys[2]).toEqual({
        kty: 'RSA',
        n: hub.publicJwkOf(hidden).n,
        e: 'AQAB',
        use: 'sig',
        alg: 'RS512',
      });
      expect(Object.keys(keys[3])).toEqual(['kty', 'n', 'e', 'kid']);
      expect(keys[3].kid).toBe(bare);
    });

    it('starts with keyCount keys, the newest signing', async () => {
      const many = await StandInHub.start({ keyCount: 3 });
      try {
        expect(many.kids).toHaveLength(3);
        expect(many.signingKid).toBe(many.kids[2]);
      } finally {
        await many.stop();
      }
    });

    it('exposes the private key matching the published one', () => {
      const kid = hub.signingKid;
      const publicJwk = createPublicKey(hub.privateKeyOf(kid)).export({ format: 'jwk' });
      expect(publicJwk.n).toBe(hub.publicJwkOf(kid).n);
    });
  });

  describe('minting', () => {
    it('mints an RS256 token with hub defaults that verifies against the published JWK', async () => {
      const token = hub.mint();
      const { header, payload } = decode(token);
      expect(header).toEqual({ kid: hub.signingKid, alg: 'RS256' });
      const now = Math.floor(Date.now() / 1000);
      expect(payload).toEqual({
        iss: 'ZAI',
        sub: expect.stringMatching(/^Organization\/[0-9a-f-]{36}$/),
        aud: ['warehouse'],
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        nbf: expect.any(Number),
        exp: expect.any(Number),
        scope: [],
      });
      expect(Math.abs((payload.nbf as number) - (now - 5))).toBeLessThanOrEqual(1);
      expect(Math.abs((payload.exp as number) - (now + 3600))).toBeLessThanOrEqual(1);
      const [published] = await publishedKeys(hub);
      expect(verifies(token, published)).toBe(true);
    });

    it('takes overrides of any type and drops claims set to undefined', () => {
      const { payload } = decode(hub.mint({ iss: undefined, exp: 'soon', roles: 3, extra: [1] }));
      expect(payload).not.toHaveProperty('iss');
      expect(payload).toMatchObject({ exp: 'soon', roles: 3, extra: [1] });
    });

    it('signs with an older key, without kid, or with extra header fields', async () => {
      const old = hub.signingKid;
      await hub.rotateKey();
      const token = hub.mint(
        {},
        { kid: old, includeKid: false, header: { typ: undefined, cty: 'x' } },
      );
      expect(decode(token).header).toEqual({ alg: 'RS256', cty: 'x' });
      expect(verifies(token, hub.publicJwkOf(old))).toBe(true);
      expect(verifies(token, hub.publicJwkOf(hub.signingKid))).toBe(false);
    });

    it('signs with a foreign private key while naming a published kid', () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const token = hub.mint({}, { privateKey });
      expect(decode(token).header.kid).toBe(hub.signingKid);
      expect(verifies(token, hub.publicJwkOf(hub.signingKid))).toBe(false);
    });

    it('signRaw encodes header and payload verbatim', () => {
      const header = '{"alg":"RS256","alg":"none"}';
      const payload = '{"sub":"Organization/a","sub":"Organization/b"}';
      const token = hub.signRaw(header, payload);
      const [h, p] = token.split('.');
      expect(Buffer.from(h, 'base64url').toString()).toBe(header);
      expect(Buffer.from(p, 'base64url').toString()).toBe(payload);
      expect(verifies(token, hub.publicJwkOf(hub.signingKid))).toBe(true);
    });
  });

  describe('roles', () => {
    it('turns role ids into the bitfield of the ordered role list', () => {
      expect(hub.roleBits([])).toBe(0);
      expect(hub.roleBits(['owner', 'admin'])).toBe(3);
      expect(hub.roleBits(['member', 'member'])).toBe(4);
      expect(hub.roleBits(['developer'])).toBe(2 ** (DEFAULT_ROLES.length - 1));
      expect(() => hub.roleBits(['root'])).toThrow(/Unknown role "root"/);
    });

    it('serves and encodes custom roles', async () => {
      const custom = await StandInHub.start({
        roles: [
          { id: 'b', name: 'B' },
          { id: 'a', name: 'A' },
        ],
      });
      try {
        expect(await (await fetch(`${custom.url}/api/v1/roles`)).json()).toEqual([
          { id: 'b', name: 'B' },
          { id: 'a', name: 'A' },
        ]);
        expect(custom.roleBits(['a'])).toBe(2);
      } finally {
        await custom.stop();
      }
    });
  });

  it('stop is idempotent', async () => {
    await hub.stop();
    await expect(hub.stop()).resolves.toBeUndefined();
  });
});
