import {
  applicableScopes,
  covers,
  parseRequestedScope,
  parseScopeRequest,
  ScopeError,
} from './requested-scope';

function scopeErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ScopeError) return error.id;
    throw error;
  }
  throw new Error('expected a scope error');
}

describe('requested scopes', () => {
  it.each([
    ['warehouse.items.r', { bearer: 'Per', personId: null, organizationId: null }],
    ['Per.warehouse.settings.rw', { bearer: 'Per', personId: null, organizationId: null }],
    ['Org.warehouse.items.w', { bearer: 'Org', personId: null, organizationId: null }],
    [
      'Org/b147-5f65.warehouse.items.r',
      { bearer: 'Org', personId: null, organizationId: 'b147-5f65' },
    ],
    ['Per/abc.warehouse.settings.r', { bearer: 'Per', personId: 'abc', organizationId: null }],
    ['Per>Org.warehouse.items.rw', { bearer: 'Per>Org', personId: null, organizationId: null }],
    ['Per>Org/o1.warehouse.items.rw', { bearer: 'Per>Org', personId: null, organizationId: 'o1' }],
    [
      'Per/p1>Org/o1.warehouse.items.rw',
      { bearer: 'Per>Org', personId: 'p1', organizationId: 'o1' },
    ],
  ])('reads %s', (text, expected) => {
    expect(parseRequestedScope(text)).toEqual({
      ...expected,
      scope: text.replace(/^.*\.(?=[a-z][a-z0-9_]{2,}\.[a-z_]+\.[rw]+$)/, ''),
    });
  });

  it.each([
    'Org.warehouse.items',
    'Org.warehouse.items.x',
    'Organization.warehouse.items.r',
    'Org/UPPER.warehouse.items.r',
    'Org>Per.warehouse.items.r',
    'wa.items.r',
    'warehouse.items.rw,',
  ])('refuses %s as malformed_scope', (text) => {
    expect(scopeErrorOf(() => parseRequestedScope(text))).toBe('malformed_scope');
  });

  it('takes a comma-separated list of one bearer', () => {
    expect(parseScopeRequest('Org/a.warehouse.items.r, Org/a.directory.sites.r')).toEqual({
      bearer: 'Org',
      organizationId: 'a',
      personId: null,
      scopes: ['warehouse.items.r', 'directory.sites.r'],
    });
    expect(scopeErrorOf(() => parseScopeRequest('Org.app.items.r,Per.app.items.r'))).toBe(
      'different_bearer_types',
    );
    expect(scopeErrorOf(() => parseScopeRequest('Org/a.app.items.r,Org/b.app.items.r'))).toBe(
      'different_bearer_ids',
    );
    expect(scopeErrorOf(() => parseScopeRequest('Org/a.app.items.r,Org.app.items.r'))).toBe(
      'different_bearer_ids',
    );
  });

  it('lets rw cover r and w, not the other way round', () => {
    expect(covers('app.items.rw', 'app.items.r')).toBe(true);
    expect(covers('app.items.rw', 'app.items.w')).toBe(true);
    expect(covers('app.items.r', 'app.items.rw')).toBe(false);
    expect(covers('app.items.rw', 'app.sites.r')).toBe(false);
  });

  it('keeps desired scopes of the bearer kind, drops the others, refuses undesired ones', () => {
    const desired = ['Org.app.items.rw', 'Per.app.settings.rw'];
    expect(
      applicableScopes(parseScopeRequest('Org.app.items.r,Org.app.settings.r'), desired),
    ).toEqual(['app.items.r']);
    expect(applicableScopes(parseScopeRequest('Per>Org.app.items.rw'), desired)).toEqual([
      'app.items.rw',
    ]);
    expect(applicableScopes(parseScopeRequest('app.settings.r'), desired)).toEqual([
      'app.settings.r',
    ]);
    expect(
      scopeErrorOf(() => applicableScopes(parseScopeRequest('Org.app.sites.r'), desired)),
    ).toBe('scope_is_not_included_in_desired_scopes');
  });
});
