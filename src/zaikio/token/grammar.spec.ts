// Covers the token grammar: sub, scope and aud parsing, and exact audience matching.
import { audienceAccepted, parseAudience, parseScope, parseSubject } from './grammar';

describe('parseSubject', () => {
  it('reads the three bearer forms', () => {
    expect(parseSubject('Organization/abc')).toEqual({
      bearer: { type: 'Organization', id: 'abc' },
      personId: null,
    });
    expect(parseSubject('Person/p-1')).toEqual({
      bearer: { type: 'Person', id: 'p-1' },
      personId: null,
    });
    expect(parseSubject('Person/p-1>Organization/o-1')).toEqual({
      bearer: { type: 'Organization', id: 'o-1' },
      personId: 'p-1',
    });
  });

  it.each([
    'Organization/1/2',
    'Person/1>Person/2',
    'Organization/1>Person/2',
    'Organization/',
    'Organization/ 1',
    'Organization/1 ',
    'organization/1',
    'Org/1',
    'Οrganization/1', // Greek capital omicron
    'Person/1>Organization/',
    'Person/1>>Organization/2',
    'Organization/１',
    '',
  ])('refuses %j', (sub) => {
    expect(parseSubject(sub)).toBeNull();
  });
});

describe('parseScope', () => {
  it('reads app, name and permission', () => {
    expect(parseScope('warehouse.items.rw')).toEqual({
      app: 'warehouse',
      name: 'items',
      permission: 'rw',
    });
    expect(parseScope('directory.organization.r')?.app).toBe('directory');
  });

  it.each([
    'warehouse.items.rwx',
    'warehouse.items',
    'Org.warehouse.items.rw',
    'Org/123.warehouse.items.rw',
    'warehouse.items.rw ',
    'warehouse.ITEMS.rw',
    'wa.items.rw',
    'warehouse.it.rw',
    'warehouse.items.x',
    'warehouse.items.wr',
  ])('refuses %j', (entry) => {
    expect(parseScope(entry)).toBeNull();
  });
});

describe('audiences', () => {
  const accepted = (token: string, configured: string) => {
    const tokenAudience = parseAudience(token);
    const configuredAudience = parseAudience(configured);
    if (!tokenAudience || !configuredAudience) return false;
    return audienceAccepted(tokenAudience, configuredAudience);
  };

  it('accepts the app with or without a credentials name for a bare app entry', () => {
    expect(accepted('warehouse', 'warehouse')).toBe(true);
    expect(accepted('warehouse/prod', 'warehouse')).toBe(true);
  });

  it('accepts only the exact pair for an app/cred entry', () => {
    expect(accepted('warehouse/prod', 'warehouse/prod')).toBe(true);
    expect(accepted('warehouse', 'warehouse/prod')).toBe(false);
    expect(accepted('warehouse/dev', 'warehouse/prod')).toBe(false);
    expect(accepted('other/prod', 'warehouse/prod')).toBe(false);
  });

  it.each([
    'warehouse2',
    'xwarehouse',
    'warehouse/',
    'warehouse/a/b',
    'Warehouse',
    'warehouse/abcde',
  ])('never lets %j pass for warehouse', (token) => {
    expect(accepted(token, 'warehouse')).toBe(false);
  });
});
