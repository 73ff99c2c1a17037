import { AccessToken, BearerType, formatScope, Scope } from '../token/access-token';
import { AccessRuleOptions } from './access-rule';

/** A route rule resolved for one HTTP method, ready to check tokens without further parsing. */
export interface CompiledRule {
  /** Scopes that would do (any of), e.g. `warehouse.items.w`, `warehouse.items.rw`. */
  readonly scopes: readonly string[];
  readonly bearer: BearerType | null;
  readonly roles: readonly string[];
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** GET, HEAD and OPTIONS read; every other method writes. */
export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method) || READ_METHODS.has(method.toUpperCase());
}

/** The access an HTTP method needs unless the rule states one: reads need r, writes need w. */
export function accessFor(method: string, rule: AccessRuleOptions): 'r' | 'w' {
  return rule.access ?? (isReadMethod(method) ? 'r' : 'w');
}

/**
 * The scopes that satisfy a rule. A bare resource (`items`) belongs to this app; a dotted one
 * (`directory.organization`) names another app's scope. `rw` always satisfies.
 */
export function requiredScopes(rule: AccessRuleOptions, method: string, appName: string): string[] {
  const access = accessFor(method, rule);
  return scopeResources(rule).flatMap((resource) => {
    const qualified = qualifyResource(resource, appName);
    return [`${qualified}.${access}`, `${qualified}.rw`];
  });
}

/** The rule's scope resources as written (one or a list; none when it states no scope). */
export function scopeResources(rule: AccessRuleOptions): readonly string[] {
  return rule.scope === undefined ? [] : [rule.scope].flat();
}

/** `items` → `<app>.items`; a dotted resource already names its app. */
export function qualifyResource(resource: string, appName: string): string {
  return resource.includes('.') ? resource : `${appName}.${resource}`;
}

export function compileRule(
  rule: AccessRuleOptions,
  method: string,
  appName: string,
): CompiledRule {
  return {
    scopes: requiredScopes(rule, method, appName),
    bearer: rule.bearer ?? null,
    roles: rule.roles ?? [],
  };
}

/** Whether one of the token's scopes is among those the rule accepts. */
export function grantsScope(tokenScopes: readonly Scope[], rule: CompiledRule): boolean {
  if (rule.scopes.length === 0) return true;
  return tokenScopes.some((scope) => rule.scopes.includes(formatScope(scope)));
}

/** An on-behalf token is an Organization token that may also act as its person. */
export function matchesBearer(token: AccessToken, rule: CompiledRule): boolean {
  if (rule.bearer === null || token.bearer.type === rule.bearer) return true;
  return rule.bearer === 'Person' && token.onBehalfOf !== null;
}

/**
 * Roles are demanded of the acting person of an on-behalf token. An organization acting alone
 * passes (it is not a person with roles); a Person bearer has no organization roles and fails.
 */
export function hasRole(token: AccessToken, rule: CompiledRule): boolean {
  if (rule.roles.length === 0) return true;
  if (token.onBehalfOf) return token.onBehalfOf.roles.some((role) => rule.roles.includes(role));
  return token.bearer.type === 'Organization';
}
