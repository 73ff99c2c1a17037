import { CompiledRule, compileRule } from '../zaikio';
import type { RouteAccess } from './access-rule-docs';

/** The bearer prefix a scope is requested with at the hub (`Org.`, `Per.`). */
const PREFIXES = { Organization: ['Org.'], Person: ['Per.'], any: ['Org.', 'Per.'] } as const;

/**
 * The scopes of one rule in the form a client requests them from the hub: with the bearer prefix
 * of the rule's bearer type (`Org.warehouse.items.r`; both prefixes when any bearer will do).
 */
export function requestableScopesOf(rule: CompiledRule): string[] {
  return PREFIXES[rule.bearer ?? 'any'].flatMap((prefix) =>
    rule.scopes.map((scope) => `${prefix}${scope}`),
  );
}

/** Every scope a route accepts, requestable form, sorted (RFC 9728 `scopes_supported`). */
export function requestableScopes(routes: readonly RouteAccess[], appName: string): string[] {
  const scopes = new Set<string>();
  for (const route of routes) {
    if (route.rule === 'public') continue;
    requestableScopesOf(compileRule(route.rule, route.method, appName)).forEach((scope) =>
      scopes.add(scope),
    );
  }
  return [...scopes].sort();
}

/** `Org.warehouse.items.r` → `['Org', 'warehouse.items.r']`; an unprefixed scope has none. */
export function splitBearerPrefix(scope: string): [prefix: string | null, scope: string] {
  const match = /^(Org|Per)\.(.+)$/.exec(scope);
  return match ? [match[1], match[2]] : [null, scope];
}
