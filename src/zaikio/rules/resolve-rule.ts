import { Reflector } from '@nestjs/core';
import { AccessRuleOptions } from './access-rule';
import { AccessRuleMetadata, PublicMetadata } from './metadata-keys';

type Target = Parameters<Reflector['getAllAndOverride']>[1][number];

/**
 * The rule that applies to a handler: null when the route (or its controller) is @Public(),
 * otherwise the handler's @ZaikioAccess over the controller's, or "any valid token" when neither
 * states one. The guard and the OpenAPI document both call this, so they cannot disagree.
 */
export function resolveAccessRule(
  reflector: Reflector,
  handler: Target,
  controller: Target,
): AccessRuleOptions | null {
  const targets = [handler, controller];
  if (reflector.getAllAndOverride(PublicMetadata, targets) === true) return null;
  return reflector.getAllAndOverride(AccessRuleMetadata, targets) ?? {};
}
