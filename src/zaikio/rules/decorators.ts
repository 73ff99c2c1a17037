import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AccessRuleOptions } from './access-rule';
import { AccessRuleMetadata, PublicMetadata } from './metadata-keys';
import { AccessToken } from '../token/access-token';

/**
 * States a route's (or a controller's) whole access rule: scope, bearer type and roles.
 * A handler-level rule replaces the class-level one. Routes without any rule still need a valid
 * token: the guard denies by default.
 */
export function ZaikioAccess(rule: AccessRuleOptions = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(AccessRuleMetadata(rule));
}

/** Opts a route or controller out of authentication. */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(PublicMetadata(true));
}

/** Request property where the guard leaves the verified token. */
export const ACCESS_TOKEN_PROPERTY = 'zaikioAccessToken';

/** Injects the verified AccessToken into a handler parameter. */
export const CurrentToken = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AccessToken => {
    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    const token = request[ACCESS_TOKEN_PROPERTY] as AccessToken | undefined;
    if (!token) {
      // Only reachable if a @Public() route asks for a token: a programming error, not a 401.
      throw new Error('CurrentToken used on a route that is not authenticated');
    }
    return token;
  },
);
