// Threat: forged and malformed bearer tokens and Authorization headers; none may be authorized or cause a 5xx.
import { createPublicKey, KeyObject } from 'node:crypto';
import { StandInHub } from '../src/hub';
import { startApp, TestApp } from './support/app';
import {
  attackerKey,
  b64url,
  codeOf,
  compact,
  countingServer,
  hmacJws,
  hubClaims,
  nonCanonical,
  rawGet,
  rawRequest,
  RawResponse,
  rsaJws,
} from './support/attacks';
import { startHub } from './support/hub-fixture';
import { tokens } from './support/tokens';

const TOKEN = '/api/v1/token';
const ITEMS = '/api/v1/items';
const SETTINGS = '/api/v1/person/settings';

interface Context {
  hub: StandInHub;
  attacker: { privateKey: KeyObject; publicKey: KeyObject };
  /** Published keys that must not verify tokens: `use: enc`, `alg: RS384`, `alg: HS256`. */
  encKid: string;
  rs384Kid: string;
  hs256Kid: string;
  /** Where jku/x5u headers point: a server that must never be asked. */
  lureUrl: string;
}

interface AttackCase {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: (ctx: Context) => string;
  /** Raw header lines instead of a bearer token (sent verbatim over a socket). */
  readonly headers?: (ctx: Context) => string[];
  readonly status: number;
  /** Expected `errors[0]`; null when Node's HTTP parser answers before the app (no Zaikio body). */
  readonly code: string | null;
}

const org = (ctx: Context) => tokens(ctx.hub).organization('org-1').scopes('warehouse.items.rw');
const onBehalf = (ctx: Context) =>
  tokens(ctx.hub).onBehalf('person-1', 'org-1').scopes('warehouse.items.rw');
/** A signed token with one claim replaced (`undefined` drops it). */
const withClaim = (name: string, value: unknown) => (ctx: Context) =>
  org(ctx).claim(name, value).mint();
const signedRaw = (header: string, payload: string) => (ctx: Context) =>
  ctx.hub.signRaw(header, payload);
const kidHeader = (kid: unknown) => (ctx: Context) => org(ctx).header({ kid }).mint();
const now = () => Math.floor(Date.now() / 1000);
/** The SPKI PEM a server would have on disk: the usual HMAC secret of the confusion attack. */
const hubPublicPem = (ctx: Context) =>
  createPublicKey(ctx.hub.privateKeyOf(ctx.hub.signingKid))
    .export({ type: 'spki', format: 'pem' })
    .toString();
/** Signed by the attacker's key, which the hub never published. */
const byAttacker = (ctx: Context, kid: string | null) =>
  ctx.hub.mint(org(ctx).claims(), {
    kid: kid ?? 'unused',
    includeKid: kid !== null,
    privateKey: ctx.attacker.privateKey,
  });
const hubJwk = (ctx: Context) => JSON.stringify(ctx.hub.publicJwkOf(ctx.hub.signingKid));
const attackerJwk = (ctx: Context) => ctx.attacker.publicKey.export({ format: 'jwk' });
const unsignedHeader = (alg: unknown) => () =>
  compact({ alg, typ: 'JWT' }, hubClaims(), b64url('x'.repeat(256)));
const segments = (token: string) => token.split('.');

const ALGORITHM_ATTACKS: AttackCase[] = [
  {
    name: 'alg none without signature',
    token: () => compact({ alg: 'none', typ: 'JWT' }, hubClaims()),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'alg none', token: unsignedHeader('none'), status: 401, code: 'invalid_jwt' },
  { name: 'alg None', token: unsignedHeader('None'), status: 401, code: 'invalid_jwt' },
  { name: 'alg NONE', token: unsignedHeader('NONE'), status: 401, code: 'invalid_jwt' },
  { name: 'alg nOnE', token: unsignedHeader('nOnE'), status: 401, code: 'invalid_jwt' },
  { name: 'alg missing', token: unsignedHeader(undefined), status: 401, code: 'invalid_jwt' },
  { name: 'alg as a list', token: unsignedHeader(['RS256']), status: 401, code: 'invalid_jwt' },
  {
    name: 'HS256 with the public key PEM as secret',
    token: (ctx) => hmacJws('HS256', hubPublicPem(ctx), hubClaims()),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'HS384 with the public key PEM as secret',
    token: (ctx) => hmacJws('HS384', hubPublicPem(ctx), hubClaims()),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'HS256 with the published JWK as secret',
    token: (ctx) => hmacJws('HS256', hubJwk(ctx), hubClaims()),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'HS384 with the published JWK as secret',
    token: (ctx) => hmacJws('HS384', hubJwk(ctx), hubClaims()),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'HS512 with the modulus n as secret',
    token: (ctx) => hmacJws('HS512', ctx.hub.publicJwkOf(ctx.hub.signingKid).n, hubClaims()),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'RS512 by the real hub key',
    token: (ctx) =>
      rsaJws(
        { alg: 'RS512', kid: ctx.hub.signingKid },
        hubClaims(),
        ctx.hub.privateKeyOf(ctx.hub.signingKid),
        'sha512',
      ),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'PS256 claimed over an RS256 signature',
    token: (ctx) => org(ctx).header({ alg: 'PS256' }).mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'alg "rs256" (case)',
    token: (ctx) => org(ctx).header({ alg: 'rs256' }).mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'alg "RS256 " (trailing space)',
    token: (ctx) => org(ctx).header({ alg: 'RS256 ' }).mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'crit header extension',
    token: (ctx) =>
      org(ctx)
        .header({ crit: ['exp'] })
        .mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'b64:false unencoded payload',
    token: (ctx) =>
      org(ctx)
        .header({ b64: false, crit: ['b64'] })
        .mint(),
    status: 401,
    code: 'invalid_jwt',
  },
];

const KEY_ATTACKS: AttackCase[] = [
  {
    name: 'RS256 by an unpublished key, own kid',
    token: (ctx) => byAttacker(ctx, 'attacker'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'RS256 by an unpublished key naming the hub kid',
    token: (ctx) => byAttacker(ctx, ctx.hub.signingKid),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'RS256 by an unpublished key without kid',
    token: (ctx) => byAttacker(ctx, null),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'key published with use enc (kid)',
    token: (ctx) => org(ctx).signedWith(ctx.encKid).mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'key published with use enc (no kid)',
    token: (ctx) => org(ctx).signedWith(ctx.encKid).withoutKid().mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'key published with alg RS384',
    token: (ctx) => org(ctx).signedWith(ctx.rs384Kid).mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'key published with alg HS256 (no kid)',
    token: (ctx) => org(ctx).signedWith(ctx.hs256Kid).withoutKid().mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'jwk header carrying the attacker key',
    token: (ctx) =>
      rsaJws({ alg: 'RS256', jwk: attackerJwk(ctx) }, hubClaims(), ctx.attacker.privateKey),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'jwk header with the attacker key under the hub kid',
    token: (ctx) =>
      rsaJws(
        {
          alg: 'RS256',
          kid: ctx.hub.signingKid,
          jwk: { ...attackerJwk(ctx), kid: ctx.hub.signingKid },
        },
        hubClaims(),
        ctx.attacker.privateKey,
      ),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'jku header pointing at the attacker key set',
    token: (ctx) =>
      rsaJws(
        { alg: 'RS256', kid: 'lure', jku: `${ctx.lureUrl}/jwks` },
        hubClaims(),
        ctx.attacker.privateKey,
      ),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'x5u header pointing at the attacker certificate',
    token: (ctx) =>
      rsaJws(
        { alg: 'RS256', x5u: `${ctx.lureUrl}/cert.pem` },
        hubClaims(),
        ctx.attacker.privateKey,
      ),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'x5c header carrying the attacker key',
    token: (ctx) =>
      rsaJws(
        {
          alg: 'RS256',
          x5c: [ctx.attacker.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')],
        },
        hubClaims(),
        ctx.attacker.privateKey,
      ),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'jku claim (not header) pointing at the attacker',
    token: (ctx) =>
      rsaJws({ alg: 'RS256' }, hubClaims({ jku: `${ctx.lureUrl}/jwks` }), ctx.attacker.privateKey),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'kid path traversal',
    token: kidHeader('../../../../etc/passwd'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'kid URL-encoded traversal',
    token: kidHeader('..%2F..%2Fkeys'),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'kid SQL injection', token: kidHeader("' OR '1'='1"), status: 401, code: 'invalid_jwt' },
  {
    name: 'kid SQL statement',
    token: kidHeader('1; DROP TABLE items;--'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'kid 257 characters',
    token: kidHeader('k'.repeat(257)),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'kid 5000 characters',
    token: kidHeader('k'.repeat(5000)),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'kid a number', token: kidHeader(1), status: 401, code: 'invalid_jwt' },
  { name: 'kid null', token: kidHeader(null), status: 401, code: 'invalid_jwt' },
  {
    name: 'kid a list of the real kid',
    token: (ctx) => kidHeader([ctx.hub.signingKid])(ctx),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'kid an object', token: kidHeader({ $ne: null }), status: 401, code: 'invalid_jwt' },
  { name: 'kid empty', token: kidHeader(''), status: 401, code: 'invalid_jwt' },
  { name: 'kid __proto__', token: kidHeader('__proto__'), status: 401, code: 'invalid_jwt' },
];

const ENCODING_ATTACKS: AttackCase[] = [
  {
    name: 'header is raw JSON, not base64url',
    token: (ctx) =>
      `{"alg":"RS256"}.${segments(org(ctx).mint())[1]}.${segments(org(ctx).mint())[2]}`,
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'payload in standard base64 (+ and /)',
    token: (ctx) => {
      const [h, , s] = segments(org(ctx).mint());
      return `${h}.${Buffer.from(JSON.stringify(hubClaims({ x: '>>>???' })))
        .toString('base64')
        .replace(/=+$/, '')}.${s}`;
    },
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'padded segments',
    token: (ctx) =>
      segments(org(ctx).mint())
        .map((part) => `${part}==`)
        .join('.'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'header base64url of non-JSON',
    token: signedRaw('hello', JSON.stringify(hubClaims())),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'header a JSON list',
    token: signedRaw('["RS256"]', JSON.stringify(hubClaims())),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'payload a JSON string',
    token: signedRaw('{"alg":"RS256"}', '"Organization/org-1"'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'payload invalid UTF-8',
    token: (ctx) => {
      const [h, , s] = segments(org(ctx).mint());
      return `${h}.${b64url(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))}.${s}`;
    },
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'JWE-shaped, five parts',
    token: () => [b64url('{"alg":"RSA-OAEP","enc":"A256GCM"}'), 'a', 'b', 'c', 'd'].join('.'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'a fourth segment',
    token: (ctx) => `${org(ctx).mint()}.${b64url('extra')}`,
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'two segments',
    token: (ctx) => segments(org(ctx).mint()).slice(0, 2).join('.'),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'empty segments', token: () => '..', status: 401, code: 'invalid_jwt' },
  {
    name: 'trailing garbage character',
    token: (ctx) => `${org(ctx).mint()}A`,
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'trailing dot',
    token: (ctx) => `${org(ctx).mint()}.`,
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'trailing padding',
    token: (ctx) => `${org(ctx).mint()}==`,
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'leading garbage character',
    token: (ctx) => `A${org(ctx).mint()}`,
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'signature in a non-canonical base64url spelling',
    token: (ctx) => {
      const [h, p, s] = segments(org(ctx).mint());
      return `${h}.${p}.${nonCanonical(s) ?? 'unreachable'}`;
    },
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'signature of another token',
    token: (ctx) => {
      const [h, p] = segments(org(ctx).mint());
      return `${h}.${p}.${segments(org(ctx).mint())[2]}`;
    },
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'signature truncated to 8 bytes',
    token: (ctx) => {
      const [h, p, s] = segments(org(ctx).mint());
      return `${h}.${p}.${s.slice(0, 11)}`;
    },
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'duplicate alg in header',
    token: signedRaw('{"alg":"none","alg":"RS256"}', JSON.stringify(hubClaims())),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'duplicate sub in payload',
    token: (ctx) =>
      ctx.hub.signRaw(
        `{"alg":"RS256","kid":"${ctx.hub.signingKid}"}`,
        JSON.stringify(hubClaims()).replace('{', '{"sub":"Person/p-1",'),
        ctx.hub.signingKid,
      ),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'duplicate sub spelled with a unicode escape',
    token: (ctx) =>
      ctx.hub.signRaw(
        `{"alg":"RS256","kid":"${ctx.hub.signingKid}"}`,
        JSON.stringify(hubClaims()).replace('{', '{"s\\u0075b":"Organization/other",'),
      ),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'duplicate scope granting rw second',
    path: ITEMS,
    token: (ctx) =>
      ctx.hub.signRaw(
        '{"alg":"RS256"}',
        JSON.stringify(hubClaims({ scope: [] })).replace('{', '{"scope":["warehouse.items.rw"],'),
      ),
    status: 401,
    code: 'invalid_jwt',
  },
];

const CLAIM_ATTACKS: AttackCase[] = [
  {
    name: 'exp as a string',
    token: (ctx) => withClaim('exp', String(now() + 3600))(ctx),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'exp missing', token: withClaim('exp', undefined), status: 401, code: 'invalid_jwt' },
  { name: 'exp null', token: withClaim('exp', null), status: 401, code: 'invalid_jwt' },
  {
    name: 'exp absurdly far (beyond any Date)',
    token: withClaim('exp', 1e300),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'exp negative', token: withClaim('exp', -1), status: 401, code: 'invalid_jwt' },
  {
    name: 'exp in the past',
    token: (ctx) => withClaim('exp', now() - 3600)(ctx),
    status: 401,
    code: 'jwt_expired',
  },
  {
    name: 'nbf far ahead',
    token: (ctx) => withClaim('nbf', now() + 86_400 * 365)(ctx),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'nbf as a string', token: withClaim('nbf', '0'), status: 401, code: 'invalid_jwt' },
  { name: 'iat absurd (1e300)', token: withClaim('iat', 1e300), status: 401, code: 'invalid_jwt' },
  {
    name: 'iat ten years ahead',
    token: (ctx) => withClaim('iat', now() + 86_400 * 3650)(ctx),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'iat negative', token: withClaim('iat', -100), status: 401, code: 'invalid_jwt' },
  {
    name: 'iss other',
    token: withClaim('iss', 'https://evil.example'),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'iss missing', token: withClaim('iss', undefined), status: 401, code: 'invalid_jwt' },
  { name: 'iss in a list', token: withClaim('iss', ['ZAI']), status: 401, code: 'invalid_jwt' },
  {
    name: 'sub as a list',
    token: withClaim('sub', ['Organization/org-1']),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'sub missing', token: withClaim('sub', undefined), status: 401, code: 'invalid_jwt' },
  {
    name: 'sub Organization/1/2',
    token: withClaim('sub', 'Organization/1/2'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub Person/1>Person/2',
    token: withClaim('sub', 'Person/1>Person/2'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub Organization/1>Person/2',
    token: withClaim('sub', 'Organization/1>Person/2'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub chained on-behalf',
    token: withClaim('sub', 'Person/1>Organization/2>Organization/3'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub with a space in the id',
    token: withClaim('sub', 'Organization/org 1'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub with a leading space',
    token: withClaim('sub', ' Organization/org-1'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub with a trailing newline',
    token: withClaim('sub', 'Organization/org-1\n'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub with a Cyrillic O',
    token: withClaim('sub', '\u041erganization/org-1'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub with a full-width digit id',
    token: withClaim('sub', 'Organization/\uff11'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub with a zero-width space',
    token: withClaim('sub', 'Organization/org-1\u200b'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub with an empty id',
    token: withClaim('sub', 'Organization/'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub on-behalf with an empty person',
    token: withClaim('sub', 'Person/>Organization/org-1'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub lower-case type',
    token: withClaim('sub', 'organization/org-1'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'sub short type Org/',
    token: withClaim('sub', 'Org/org-1'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'scope as a string',
    path: ITEMS,
    token: withClaim('scope', 'warehouse.items.rw'),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'scope a list with a number',
    path: ITEMS,
    token: withClaim('scope', ['warehouse.items.rw', 1]),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'aud as an object',
    token: withClaim('aud', { warehouse: true }),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'aud a list with a number',
    token: withClaim('aud', ['warehouse', 7]),
    status: 401,
    code: 'invalid_jwt',
  },
  { name: 'jti as a number', token: withClaim('jti', 42), status: 401, code: 'invalid_jwt' },
  {
    name: 'roles negative',
    token: (ctx) => onBehalf(ctx).claim('roles', -1).mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'roles fractional',
    token: (ctx) => onBehalf(ctx).claim('roles', 0.5).mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'roles huge (2^53)',
    token: (ctx) =>
      onBehalf(ctx)
        .claim('roles', 2 ** 53)
        .mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'roles 1e308',
    token: (ctx) => onBehalf(ctx).claim('roles', 1e308).mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'roles a string',
    token: (ctx) => onBehalf(ctx).claim('roles', '3').mint(),
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'roles a list',
    token: (ctx) => onBehalf(ctx).claim('roles', ['owner']).mint(),
    status: 401,
    code: 'invalid_jwt',
  },
];

const audience = (aud: string): AttackCase => ({
  name: `aud ${JSON.stringify(aud)}`,
  token: withClaim('aud', [aud]),
  status: 401,
  code: 'unpermitted_audience',
});

const AUDIENCE_ATTACKS: AttackCase[] = [
  'wareh', // prefix
  'warehous', // prefix
  'warehouse_x', // suffix
  'warehousewarehouse',
  'Warehouse', // case
  'WAREHOUSE',
  'warehouse//prod', // extra slash
  '/warehouse',
  'warehouse/prod/',
  'warehouse/abcde', // credentials name longer than 4
  'warehouse/pr d',
  'w\u0430rehouse', // Cyrillic a
  'warehouse\u200b', // zero-width space
  '\uff57arehouse', // full-width w
  'warehouse ',
  'other_app/prod',
  '*',
].map(audience);

const scope = (value: string, method = 'GET', name?: string): AttackCase => ({
  name: name ?? `scope ${JSON.stringify(value)} on ${method} items`,
  method,
  path: ITEMS,
  token: (ctx) => tokens(ctx.hub).organization('org-1').scopes(value).mint(),
  status: 403,
  code: 'unpermitted_scope',
});

const SCOPE_ATTACKS: AttackCase[] = [
  scope('warehouse.items.rwx'),
  scope('warehouse.items'),
  scope('Org.warehouse.items.rw'),
  scope('Org/123.warehouse.items.rw'),
  scope('Per>Org.warehouse.items.rw'),
  scope('warehouse.items.rw '),
  scope(' warehouse.items.rw'),
  scope('warehouse.ITEMS.rw'),
  scope('Warehouse.items.rw'),
  scope('warehouse.items.RW'),
  scope('directory.items.rw'), // another app's scope
  scope('warehouse2.items.rw'),
  scope('warehouse.item.rw'),
  scope('warehouse.items_all.rw'),
  scope('warehouse..items.rw'),
  scope('warehouse.items.rw.extra'),
  scope('warehouse.items.r\u200b'),
  scope('warehouse.item\u0455.rw'), // Cyrillic s
  scope('warehouse.*.rw'),
  scope('*'),
  scope('warehouse.settings.rw'),
  scope('warehouse.items.w'), // write only, GET needs read
  scope('warehouse.items.r', 'POST'), // read only, POST needs write
];

const ROUTE_ATTACKS: AttackCase[] = [
  {
    name: 'Person bearer on an Organization route',
    path: ITEMS,
    token: (ctx) => tokens(ctx.hub).person('p-1').scopes('warehouse.items.rw').mint(),
    status: 403,
    code: 'unpermitted_subject',
  },
  {
    name: 'Organization bearer on a Person route',
    path: SETTINGS,
    token: (ctx) => tokens(ctx.hub).organization('o-1').scopes('warehouse.settings.rw').mint(),
    status: 403,
    code: 'unpermitted_subject',
  },
  {
    name: 'on-behalf member deleting (needs owner or admin)',
    method: 'DELETE',
    path: `${ITEMS}/00000000-0000-0000-0000-000000000000`,
    token: (ctx) => onBehalf(ctx).roles('member', 'purchaser').mint(),
    status: 403,
    code: 'unpermitted_role',
  },
  {
    name: 'on-behalf with roles bits beyond the role list deleting',
    method: 'DELETE',
    path: `${ITEMS}/00000000-0000-0000-0000-000000000000`,
    token: (ctx) =>
      onBehalf(ctx)
        .claim('roles', 2 ** 40)
        .mint(),
    status: 403,
    code: 'unpermitted_role',
  },
];

const bearer = (ctx: Context) => `Authorization: Bearer ${org(ctx).mint()}`;

const HEADER_ATTACKS: AttackCase[] = [
  {
    name: 'two Authorization headers, valid then forged',
    headers: (ctx) => [bearer(ctx), 'Authorization: Bearer forged.forged.forged'],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'two Authorization headers, forged then valid',
    headers: (ctx) => ['authorization: Basic Zm9vOmJhcg==', bearer(ctx)],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'Bearer twice',
    headers: (ctx) => [`Authorization: Bearer Bearer ${org(ctx).mint()}`],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'tab between scheme and token',
    headers: (ctx) => [`Authorization: Bearer\t${org(ctx).mint()}`],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'two spaces between scheme and token',
    headers: (ctx) => [`Authorization: Bearer  ${org(ctx).mint()}`],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'tab inside the token',
    headers: (ctx) => [`Authorization: Bearer ${org(ctx).mint().replace('.', '.\t')}`],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'two tokens in one header',
    headers: (ctx) => [`Authorization: Bearer ${org(ctx).mint()}, Bearer ${org(ctx).mint()}`],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'token followed by a parameter',
    headers: (ctx) => [`Authorization: Bearer ${org(ctx).mint()} realm="x"`],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'Bearer without a token',
    headers: () => ['Authorization: Bearer'],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'Basic credentials',
    headers: () => ['Authorization: Basic dXNlcjpwYXNz'],
    status: 401,
    code: 'no_jwt_passed',
  },
  {
    name: 'token without a scheme',
    headers: (ctx) => [`Authorization: ${org(ctx).mint()}`],
    status: 401,
    code: 'no_jwt_passed',
  },
  {
    name: 'scheme glued to the token',
    headers: (ctx) => [`Authorization: Bearer${org(ctx).mint()}`],
    status: 401,
    code: 'no_jwt_passed',
  },
  {
    name: 'token in another header',
    headers: (ctx) => [`X-Authorization: Bearer ${org(ctx).mint()}`],
    status: 401,
    code: 'no_jwt_passed',
  },
  {
    name: 'token in the query string only',
    path: `${ITEMS}?access_token=TOKEN`,
    headers: () => [],
    status: 401,
    code: 'no_jwt_passed',
  },
  {
    name: 'token 10 000 characters long',
    headers: () => [`Authorization: Bearer ${'a'.repeat(10_000)}.b.c`],
    status: 401,
    code: 'invalid_jwt',
  },
  {
    name: 'Authorization header past the server header limit',
    headers: () => [`Authorization: Bearer ${'a'.repeat(20_000)}`],
    status: 431,
    code: null,
  },
  {
    name: 'obsolete line folding inside the header',
    headers: (ctx) => ['Authorization: Bearer', ` ${org(ctx).mint()}`],
    status: 400,
    code: null,
  },
  {
    name: 'space before the header colon',
    headers: (ctx) => [`Authorization : Bearer ${org(ctx).mint()}`],
    status: 400,
    code: null,
  },
];

const CORPUS: AttackCase[] = [
  ...ALGORITHM_ATTACKS,
  ...KEY_ATTACKS,
  ...ENCODING_ATTACKS,
  ...CLAIM_ATTACKS,
  ...AUDIENCE_ATTACKS,
  ...SCOPE_ATTACKS,
  ...ROUTE_ATTACKS,
  ...HEADER_ATTACKS,
];

describe('attack corpus (e2e)', () => {
  const ctx = {} as Context;
  let server: TestApp;
  let lure: Awaited<ReturnType<typeof countingServer>>;
  const outcomes: Array<{ name: string; status: number }> = [];

  beforeAll(async () => {
    ctx.hub = await startHub();
    ctx.attacker = await attackerKey();
    ctx.encKid = await ctx.hub.addKey({ use: 'enc' });
    ctx.rs384Kid = await ctx.hub.addKey({ alg: 'RS384' });
    ctx.hs256Kid = await ctx.hub.addKey({ alg: 'HS256' });
    lure = await countingServer(
      JSON.stringify({
        keys: [{ ...ctx.attacker.publicKey.export({ format: 'jwk' }), kid: 'lure' }],
      }),
    );
    ctx.lureUrl = lure.url;
    server = await startApp(ctx.hub);
  });

  afterAll(async () => {
    await server?.close();
    await ctx.hub?.stop();
    await lure?.stop();
  });

  it('holds at least 60 hostile requests with distinct names', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CORPUS.map((attack) => attack.name)).size).toBe(CORPUS.length);
  });

  it('authorizes the genuine token each attack starts from (control)', async () => {
    for (const path of [TOKEN, ITEMS]) {
      const response = await rawGet(server.url, path, [bearer(ctx)]);
      expect(response.status).toBe(200);
    }
  });

  it.each(CORPUS.map((attack) => [attack.name, attack] as const))(
    'refuses %s',
    async (_name, attack) => {
      const method = attack.method ?? 'GET';
      const path = attack.path ?? TOKEN;
      let headerLines: string[];
      if (attack.headers) headerLines = attack.headers(ctx);
      else if (attack.token) headerLines = [`Authorization: Bearer ${attack.token(ctx)}`];
      else throw new Error('an attack needs a token or headers');
      const finalPath = path.replace('TOKEN', org(ctx).mint());
      const body =
        method === 'POST' ? '{"sku":"A-1","name":"x","quantity":1,"unit":"pieces"}' : undefined;
      const response: RawResponse = await rawRequest(
        server.url,
        method,
        finalPath,
        headerLines,
        body,
      );
      outcomes.push({ name: attack.name, status: response.status });
      expect({ status: response.status, code: codeOf(response.body) }).toEqual({
        status: attack.status,
        code: attack.code,
      });
      // The answer never echoes the token back.
      for (const line of headerLines) {
        const secret = line.split(' ').at(-1) ?? '';
        if (secret.length > 40) expect(response.body).not.toContain(secret);
      }
    },
  );

  it('was never authorized, never answered 5xx and never fetched a URL a token named', async () => {
    expect(outcomes).toHaveLength(CORPUS.length);
    expect(outcomes.filter(({ status }) => status < 400 || status >= 500)).toEqual([]);
    expect(lure.count()).toBe(0);
    // And the server is still up and serving genuine tokens after the whole corpus.
    expect((await server.get(TOKEN, org(ctx).mint())).status).toBe(200);
  });
});
