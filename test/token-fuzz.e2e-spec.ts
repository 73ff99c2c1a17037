// Threat: tampered tokens and hostile claim values; property tests that nothing is granted beyond the grammar.
import fc from 'fast-check';
import { errorCode, useHubAndApp } from './support/app';
import { b64url } from './support/attacks';
import { tokens } from './support/tokens';

// ---------------------------------------------------------------------------------------------
// An independent oracle of Zaikio's claim grammar, written from /work/shared/zaikio-platform.md
// with character tests, not regular expressions, and sharing no code with src/zaikio/token.
// ---------------------------------------------------------------------------------------------

const isLower = (c: string) => c >= 'a' && c <= 'z';
const isUpper = (c: string) => c >= 'A' && c <= 'Z';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isAlnum = (c: string) => c.length === 1 && (isLower(c) || isUpper(c) || isDigit(c));

/** Ids: UUIDs or short fixture words; letters, digits, `_` and `-`, starting alphanumeric. */
function oracleId(id: string): boolean {
  return (
    id.length > 0 && isAlnum(id[0]) && [...id].every((c) => isAlnum(c) || c === '_' || c === '-')
  );
}

function idAfter(value: string, type: string): string | null {
  const prefix = `${type}/`;
  if (!value.startsWith(prefix)) return null;
  const id = value.slice(prefix.length);
  return oracleId(id) ? id : null;
}

interface OracleSubject {
  bearer: { type: 'Organization' | 'Person'; id: string };
  personId: string | null;
}

function oracleSubject(sub: string): OracleSubject | null {
  const org = idAfter(sub, 'Organization');
  if (org !== null) return { bearer: { type: 'Organization', id: org }, personId: null };
  const person = idAfter(sub, 'Person');
  if (person !== null) return { bearer: { type: 'Person', id: person }, personId: null };
  const gt = sub.indexOf('>');
  if (gt < 0) return null;
  const actor = idAfter(sub.slice(0, gt), 'Person');
  const bearer = idAfter(sub.slice(gt + 1), 'Organization');
  if (actor === null || bearer === null) return null;
  return { bearer: { type: 'Organization', id: bearer }, personId: actor };
}

/** `<app>`: a lower-case letter, then two or more of lower-case letters, digits, `_`. */
function oracleApp(app: string): boolean {
  return (
    app.length >= 3 &&
    isLower(app[0]) &&
    [...app].every((c) => c.length === 1 && (isLower(c) || isDigit(c) || c === '_'))
  );
}

function oracleScope(scope: string): boolean {
  const parts = scope.split('.');
  if (parts.length !== 3) return false;
  const [app, name, permission] = parts;
  const nameOk =
    name.length >= 3 &&
    isLower(name[0]) &&
    [...name].every((c) => c.length === 1 && (isLower(c) || c === '_'));
  return oracleApp(app) && nameOk && ['r', 'w', 'rw'].includes(permission);
}

/** This server accepts `warehouse` with any credentials name of 1 to 4 characters, or none. */
function oracleAudienceAccepted(aud: string): boolean {
  if (aud === 'warehouse') return true;
  if (!aud.startsWith('warehouse/')) return false;
  const credentials = aud.slice('warehouse/'.length);
  return (
    credentials.length >= 1 &&
    credentials.length <= 4 &&
    [...credentials].every((c) => isAlnum(c) || c === '_' || c === '-')
  );
}

// ---------------------------------------------------------------------------------------------
// Generators: near misses of the grammar are far likelier than from uniform random strings.
// ---------------------------------------------------------------------------------------------

const lookalikes = ['\u0430', '\u041e', '\uff11', '\u200b', '\u0455', '\u00a0', 'ı', 'K'];
const fuzzChar = fc.oneof(
  fc.constantFrom(...'abcwxyzAOZ019_-./> \t\n'.split(''), ...lookalikes),
  fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
);
const fuzzWord = (max = 8) =>
  fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9_-]{0,8}$/),
    fc.array(fuzzChar, { maxLength: max }).map((chars) => chars.join('')),
  );
const decorate = (core: fc.Arbitrary<string>) =>
  fc
    .tuple(
      fc.constantFrom('', '', '', ' ', 'Org.', 'Org/123.', 'Per>Org.', '\u200b', '/'),
      core,
      fc.constantFrom('', '', '', ' ', '\n', '.', '/', 'x', '\u200b'),
    )
    .map(([before, value, after]) => `${before}${value}${after}`);

const subjectArb = fc.oneof(
  decorate(
    fc
      .tuple(
        fc.constantFrom(
          'Organization',
          'Person',
          'organization',
          'Org',
          'Persons',
          '\u041erganization',
        ),
        fc.constantFrom('/', '/', '//', ' /', '\\'),
        fuzzWord(),
      )
      .map(([type, sep, id]) => `${type}${sep}${id}`),
  ),
  fc
    .tuple(
      fc.constantFrom('Person/', 'Organization/', 'Person//'),
      fuzzWord(),
      fc.constantFrom('>', '>', '> ', '>>', '<'),
      fc.constantFrom('Organization/', 'Person/', 'Organization//'),
      fuzzWord(),
    )
    .map((parts) => parts.join('')),
  fc.string({ maxLength: 30 }),
);

const scopeArb = fc.oneof(
  fc.constantFrom('warehouse.items.r', 'warehouse.items.w', 'warehouse.items.rw'),
  decorate(
    fc
      .tuple(
        fc.oneof(
          fc.constantFrom(
            'warehouse',
            'directory',
            'Warehouse',
            'wa',
            'warehouse2',
            '_wh',
            'w\u0430rehouse',
          ),
          fuzzWord(),
        ),
        fc.constantFrom('.', '.', '.', '..', '/', ' .'),
        fc.oneof(
          fc.constantFrom('items', 'ITEMS', 'item', 'items_x', 'settings', 'it'),
          fuzzWord(),
        ),
        fc.constantFrom('.', '.', '.', '..', ' .'),
        fc.constantFrom('r', 'w', 'rw', 'wr', 'R', 'RW', 'rwx', '', 'r ', '*'),
      )
      .map((parts) => parts.join('')),
  ),
  fc.string({ maxLength: 24 }),
);

const audienceArb = fc.oneof(
  fc.constantFrom('warehouse', 'warehouse/prod', 'directory'),
  decorate(
    fc
      .tuple(
        fc.oneof(
          fc.constantFrom('warehouse', 'Warehouse', 'warehous', 'warehouse_x', 'w\u0430rehouse'),
          fuzzWord(),
        ),
        fc.constantFrom('', '/', '/', '//'),
        fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{0,6}$/), fuzzWord(6)),
      )
      .map((parts) => parts.join('')),
  ),
  fc.string({ maxLength: 20 }),
);

const RUNS = 200;

describe('token fuzzing (e2e)', () => {
  const ctx = useHubAndApp();

  const genuine = () =>
    tokens(ctx.hub)
      .onBehalf('person-1', 'org-1')
      .roles('owner')
      .scopes('warehouse.items.rw')
      .jti(`fuzz-${Math.random()}`)
      .mint();

  /** A mutated token is refused as a token: 401, never 2xx, never 5xx. */
  async function expectRefused(token: string): Promise<void> {
    const response = await ctx.server.get('/api/v1/token', token);
    expect(response.status).toBe(401);
  }

  it('authorizes the unmutated token (control)', async () => {
    expect((await ctx.server.get('/api/v1/token', genuine())).status).toBe(200);
  });

  it('never authorizes a token with one bit flipped in any segment', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.nat(), fc.nat(7), async (segment, position, bit) => {
        const parts = genuine().split('.');
        const bytes = Buffer.from(parts[segment], 'base64url');
        const index = position % bytes.length;
        bytes[index] ^= 1 << bit;
        parts[segment] = b64url(bytes);
        await expectRefused(parts.join('.'));
      }),
      { numRuns: RUNS },
    );
  });

  it('never authorizes a token with one character replaced', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/~';
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...alphabet.split('')), async (position, char) => {
        const token = genuine();
        const index = position % token.length;
        fc.pre(token[index] !== char);
        await expectRefused(token.slice(0, index) + char + token.slice(index + 1));
      }),
      { numRuns: RUNS },
    );
  });

  it('never authorizes segments swapped, repeated or spliced from two genuine tokens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(5), { minLength: 1, maxLength: 5 }), async (picks) => {
        const first = genuine();
        const second = genuine();
        const pool = [...first.split('.'), ...second.split('.')];
        const forged = picks.map((pick) => pool[pick]).join('.');
        // Both tokens share their header, so some picks spell a genuine token again.
        fc.pre(forged !== first && forged !== second);
        await expectRefused(forged);
      }),
      { numRuns: RUNS },
    );
  });

  it('never authorizes a claim edited without re-signing', async () => {
    const edits = fc.oneof(
      fc.record({ name: fc.constant('sub'), value: subjectArb }),
      fc.record({ name: fc.constant('scope'), value: fc.array(scopeArb, { maxLength: 3 }) }),
      fc.record({ name: fc.constant('aud'), value: fc.array(audienceArb, { maxLength: 3 }) }),
      fc.record({ name: fc.constant('roles'), value: fc.oneof(fc.integer(), fc.double()) }),
      fc.record({ name: fc.constant('exp'), value: fc.integer() }),
      fc.record({ name: fc.constantFrom('jti', 'iss', 'nbf'), value: fc.jsonValue() }),
      fc.record({ name: fc.string({ maxLength: 5 }), value: fc.jsonValue() }),
    );
    await fc.assert(
      fc.asyncProperty(edits, async ({ name, value }) => {
        const [header, payload, signature] = genuine().split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
          string,
          unknown
        >;
        const edited = JSON.stringify({ ...claims, [name]: value });
        fc.pre(edited !== JSON.stringify(claims));
        await expectRefused(`${header}.${b64url(edited)}.${signature}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads sub exactly as the grammar allows, never a wider bearer', async () => {
    await fc.assert(
      fc.asyncProperty(subjectArb, async (sub) => {
        const token = tokens(ctx.hub).claim('sub', sub).mint();
        const response = await ctx.server.get('/api/v1/token', token);
        const expected = oracleSubject(sub);
        if (expected === null) {
          expect(response.status).toBe(401);
          expect(await errorCode(response)).toBe('invalid_jwt');
          return;
        }
        expect(response.status).toBe(200);
        const body = (await response.json()) as {
          bearer: unknown;
          on_behalf_of: { id: string } | null;
        };
        expect(body.bearer).toEqual(expected.bearer);
        expect(body.on_behalf_of?.id ?? null).toBe(expected.personId);
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts aud only when an entry names this app with a valid credentials name', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(audienceArb, { maxLength: 4 }), async (aud) => {
        const response = await ctx.server.get(
          '/api/v1/token',
          tokens(ctx.hub).audiences(aud).mint(),
        );
        // Personal tokens (empty aud) are allowed by the test configuration.
        const accepted = aud.length === 0 || aud.some(oracleAudienceAccepted);
        if (accepted) {
          expect(response.status).toBe(200);
        } else {
          expect(response.status).toBe(401);
          expect(await errorCode(response)).toBe('unpermitted_audience');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('understands only grammatical scopes and grants items only for an exact match', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(scopeArb, { maxLength: 4 }),
        fc.constantFrom('GET', 'POST'),
        async (scopes, method) => {
          const token = tokens(ctx.hub)
            .organization('fuzz-org')
            .scopes(...scopes)
            .mint();

          const described = await ctx.server.get('/api/v1/token', token);
          expect(described.status).toBe(200);
          const { scopes: understood } = (await described.json()) as { scopes: string[] };
          expect(understood).toEqual(scopes.filter(oracleScope));

          const needed = method === 'GET' ? 'warehouse.items.r' : 'warehouse.items.w';
          const granted = scopes.includes(needed) || scopes.includes('warehouse.items.rw');
          // An empty body: a granted POST fails validation (422), never the guard (403).
          const response =
            method === 'GET'
              ? await ctx.server.get('/api/v1/items?per_page=1', token)
              : await ctx.server.send('POST', '/api/v1/items', {}, token);
          if (granted) {
            expect(response.status).toBe(method === 'GET' ? 200 : 422);
          } else {
            expect(response.status).toBe(403);
            expect(await errorCode(response)).toBe('unpermitted_scope');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
