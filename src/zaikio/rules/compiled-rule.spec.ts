// Covers how a route rule turns into required scopes, and the bearer and role checks.
import { parseScope } from '../token/grammar';
import { anAccessToken } from '../testing';
import { compileRule, grantsScope, hasRole, matchesBearer, requiredScopes } from './compiled-rule';

const token = anAccessToken;

const scopes = (...entries: string[]) => entries.map((entry) => parseScope(entry)!);

describe('requiredScopes', () => {
  it('derives read or write access from the HTTP method', () => {
    expect(requiredScopes({ scope: 'items' }, 'GET', 'warehouse')).toEqual([
      'warehouse.items.r',
      'warehouse.items.rw',
    ]);
    expect(requiredScopes({ scope: 'items' }, 'HEAD', 'warehouse')[0]).toBe('warehouse.items.r');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(requiredScopes({ scope: 'items' }, method, 'warehouse')[0]).toBe('warehouse.items.w');
    }
  });

  it('lets an explicit access type override the method and names other apps verbatim', () => {
    expect(requiredScopes({ scope: 'items', access: 'r' }, 'POST', 'warehouse')[0]).toBe(
      'warehouse.items.r',
    );
    expect(
      requiredScopes({ scope: ['items', 'directory.organization'] }, 'GET', 'warehouse'),
    ).toEqual([
      'warehouse.items.r',
      'warehouse.items.rw',
      'directory.organization.r',
      'directory.organization.rw',
    ]);
  });
});

describe('grantsScope', () => {
  const writeItems = compileRule({ scope: 'items' }, 'POST', 'warehouse');
  it('grants on w or rw and refuses r, other resources and other apps', () => {
    expect(grantsScope(scopes('warehouse.items.w'), writeItems)).toBe(true);
    expect(grantsScope(scopes('warehouse.items.rw'), writeItems)).toBe(true);
    expect(grantsScope(scopes('warehouse.items.r'), writeItems)).toBe(false);
    expect(grantsScope(scopes('warehouse.settings.rw'), writeItems)).toBe(false);
    expect(grantsScope(scopes('other.items.rw'), writeItems)).toBe(false);
  });

  it('grants any valid token when the rule names no scope', () => {
    expect(grantsScope([], compileRule({}, 'GET', 'warehouse'))).toBe(true);
  });
});

describe('matchesBearer and hasRole', () => {
  const onBehalf = (roles: string[]) => token({ onBehalfOf: { id: 'p-1', roles } });
  const person = token({ bearer: { type: 'Person', id: 'p-1' } });

  it('counts an on-behalf token as Organization and, as its person, as Person', () => {
    const organizationRule = compileRule({ bearer: 'Organization' }, 'GET', 'warehouse');
    const personRule = compileRule({ bearer: 'Person' }, 'GET', 'warehouse');
    expect(matchesBearer(onBehalf([]), organizationRule)).toBe(true);
    expect(matchesBearer(onBehalf([]), personRule)).toBe(true);
    expect(matchesBearer(token(), personRule)).toBe(false);
    expect(matchesBearer(person, organizationRule)).toBe(false);
    expect(matchesBearer(person, personRule)).toBe(true);
  });

  it('demands roles of the acting person only', () => {
    const rule = compileRule({ roles: ['owner', 'admin'] }, 'DELETE', 'warehouse');
    expect(hasRole(onBehalf(['admin']), rule)).toBe(true);
    expect(hasRole(onBehalf(['member']), rule)).toBe(false);
    expect(hasRole(token(), rule)).toBe(true);
    expect(hasRole(person, rule)).toBe(false);
  });
});
