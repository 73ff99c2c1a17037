import type { Request } from 'express';
import { compileRule } from '../zaikio';
import type { RouteAccess } from '../docs';

/** RFC 9728 §3: the well-known URI suffix of protected resource metadata. */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

/**
 * This server's resource identifier: the origin the client reached it at. RFC 9728 §3.3 asks a
 * client to check that `resource` equals the URL it fetched the metadata from, so the request's
 * own scheme and host are what must come back.
 */
export function resourceOf(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}

export function resourceMetadataUrlOf(request: Request): string {
  return `${resourceOf(request)}${PROTECTED_RESOURCE_PATH}`;
}

/** The bearer prefix a scope is requested with at the hub (`Org.`, `Per.`). */
const PREFIXES = { Organization: ['Org.'], Person: ['Per.'], any: ['Org.', 'Per.'] } as const;

/**
 * Every scope a route accepts, in the form a client requests it from the hub: with the bearer
 * prefix of the route's bearer type (`Org.warehouse.items.r`, `Per.warehouse.settings.rw`).
 */
export function requestableScopes(routes: readonly RouteAccess[], appName: string): string[] {
  const scopes = new Set<string>();
  for (const route of routes) {
    if (route.rule === 'public') continue;
    const rule = compileRule(route.rule, route.method, appName);
    for (const prefix of PREFIXES[rule.bearer ?? 'any']) {
      for (const scope of rule.scopes) scopes.add(`${prefix}${scope}`);
    }
  }
  return [...scopes].sort();
}
