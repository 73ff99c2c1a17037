// Property: whatever JSON arrives on a write route, the answer is never a 5xx, a refusal names
// every member the route does not declare, and a refused body creates or changes nothing.
import fc from 'fast-check';
import { useHubAndApp } from './support/app';
import { anItem } from './support/items';
import { PROTOTYPE_NAMES } from './support/prototype-names';
import { tokens } from './support/tokens';

const ITEM_MEMBERS = ['sku', 'name', 'quantity', 'unit'];
const SETTINGS_MEMBERS = ['unit_system', 'locale'];
const ANSWERS = [200, 201, 400, 413, 422];

/** Members as JSON text, so `__proto__` stays an own member exactly as a client would send it. */
function objectText(entries: readonly (readonly [string, unknown])[]): string {
  return `{${entries.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`).join(',')}}`;
}

interface Body {
  readonly text: string;
  /** The member names of an object body, in the order sent. */
  readonly names?: readonly string[];
}

/** A valid body as a Body, run first by each property so that it always sees an acceptance. */
function validExample(body: object): [Body] {
  return [{ text: JSON.stringify(body), names: Object.keys(body) }];
}

/** A body: any JSON value, or an object mixing declared, prototype and arbitrary member names. */
function bodies(declared: readonly string[], valid: () => object): fc.Arbitrary<Body> {
  const name = fc.oneof(fc.constantFrom(...declared, ...PROTOTYPE_NAMES), fc.string());
  const member = fc.tuple(name, fc.jsonValue({ maxDepth: 3 }));
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((value): Body => ({ text: JSON.stringify(value) ?? 'null' })),
    fc.array(member, { maxLength: 6 }).map((extra): Body => {
      const entries = [...Object.entries(valid()), ...extra] as const;
      return { text: objectText(entries), names: entries.map(([key]) => key) };
    }),
  );
}

interface Sent {
  readonly status: number;
  readonly body: unknown;
}

describe('request bodies, any JSON (e2e, property)', () => {
  const ctx = useHubAndApp();
  const org = () => tokens(ctx.hub).organization('org-prop').scopes('warehouse.items.rw').mint();
  const person = () => tokens(ctx.hub).person('p-prop').scopes('warehouse.settings.rw').mint();

  async function send(method: string, path: string, text: string, token: string): Promise<Sent> {
    const response = await fetch(`${ctx.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: text,
    });
    const raw = await response.text();
    return { status: response.status, body: raw === '' ? null : (JSON.parse(raw) as unknown) };
  }

  const itemCount = async () =>
    Number((await ctx.server.get('/api/v1/items?per_page=1', org())).headers.get('total-count'));
  const read = async (path: string, token: string) => (await ctx.server.get(path, token)).text();

  // Each property must see valid bodies accepted too, or it would prove nothing about them.
  let accepted = 0;
  afterEach(() => {
    expect(accepted).toBeGreaterThan(0);
    accepted = 0;
  });

  /** The answer is one we document, and an unknown member is never let through. */
  function expectAnswer(sent: Sent, names: readonly string[] | undefined, declared: string[]) {
    expect(ANSWERS).toContain(sent.status);
    if (sent.status < 300) accepted += 1;
    const unknown = (names ?? []).filter((name) => !declared.includes(name));
    if (unknown.length === 0) return;
    expect(sent.status).toBe(422);
    const errors = (sent.body as { errors: Record<string, unknown> }).errors;
    for (const name of unknown) expect(Object.hasOwn(errors, name)).toBe(true);
  }

  it('POST /api/v1/items creates an item only for a valid body', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies(ITEM_MEMBERS, () => anItem()),
        async ({ text, names }) => {
          const before = await itemCount();
          const sent = await send('POST', '/api/v1/items', text, org());
          expectAnswer(sent, names, ITEM_MEMBERS);
          expect(await itemCount()).toBe(sent.status === 201 ? before + 1 : before);
        },
      ),
      { numRuns: 60, examples: [validExample(anItem())] },
    );
  });

  it('PATCH /api/v1/items/:id changes the item only for a valid body', async () => {
    const created = await send('POST', '/api/v1/items', JSON.stringify(anItem()), org());
    const path = `/api/v1/items/${(created.body as { id: string }).id}`;
    await fc.assert(
      fc.asyncProperty(
        bodies(ITEM_MEMBERS, () => ({ quantity: 1 })),
        async ({ text, names }) => {
          const before = await read(path, org());
          const sent = await send('PATCH', path, text, org());
          expectAnswer(sent, names, ITEM_MEMBERS);
          const after = await read(path, org());
          if (sent.status === 200) expect(JSON.parse(after)).toEqual(sent.body);
          else expect(after).toBe(before);
        },
      ),
      { numRuns: 60, examples: [validExample({ quantity: 7 })] },
    );
  });

  it('PUT /api/v1/person/settings replaces the settings only for a valid body', async () => {
    const valid = () => ({ unit_system: 'imperial', locale: 'de-DE' });
    await fc.assert(
      fc.asyncProperty(bodies(SETTINGS_MEMBERS, valid), async ({ text, names }) => {
        const before = await read('/api/v1/person/settings', person());
        const sent = await send('PUT', '/api/v1/person/settings', text, person());
        expectAnswer(sent, names, SETTINGS_MEMBERS);
        const after = await read('/api/v1/person/settings', person());
        if (sent.status === 200) expect(JSON.parse(after)).toEqual(sent.body);
        else expect(after).toBe(before);
      }),
      { numRuns: 60, examples: [validExample(valid())] },
    );
  });
});
