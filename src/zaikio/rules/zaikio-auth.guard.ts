import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ZaikioAuthError, ZaikioAuthErrorCode } from '../errors/zaikio-auth.error';
import { formatScope } from '../token/access-token';
import { TokenVerifier } from '../token/token-verifier';
import { ZAIKIO_AUTH_OPTIONS, ZaikioAuthOptions } from '../zaikio-auth.options';
import { bearerTokenFrom } from './bearer-header';
import { CompiledRule, compileRule, grantsScope, hasRole, matchesBearer } from './compiled-rule';
import { ACCESS_TOKEN_PROPERTY } from './decorators';
import { resolveAccessRule } from './resolve-rule';

/**
 * Optional hook for metrics: provide one under ZAIKIO_AUTH_OBSERVER (from any global module) and
 * the guard reports every authentication decision to it.
 */
export interface ZaikioAuthObserver {
  /**
   * `outcome` is 'ok' or the error code; `verificationSeconds` is the time spent verifying the
   * token (null when it never got that far).
   */
  authenticated(
    outcome: 'ok' | ZaikioAuthErrorCode | 'error',
    verificationSeconds: number | null,
  ): void;
}

export const ZAIKIO_AUTH_OBSERVER = Symbol('ZAIKIO_AUTH_OBSERVER');

const SCOPES_DOCS = 'https://docs.zaikio.com/guide/oauth/scopes.html';
type Handler = ReturnType<ExecutionContext['getHandler']>;

/**
 * The global guard: every route needs a valid token unless it says @Public(); the route's
 * @ZaikioAccess rule (handler over class) decides scope, bearer type and roles.
 */
@Injectable()
export class ZaikioAuthGuard implements CanActivate {
  /** Rules are resolved once per handler and method, not per request. */
  private readonly rules = new Map<Handler, Map<string, CompiledRule | null>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    @Inject(ZAIKIO_AUTH_OPTIONS) private readonly options: ZaikioAuthOptions,
    @Optional() @Inject(ZAIKIO_AUTH_OBSERVER) private readonly observer?: ZaikioAuthObserver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const request = context.switchToHttp().getRequest<Request & Record<string, unknown>>();
    const rule = this.ruleFor(context, request.method);
    if (rule === null) return true;
    const timing = { seconds: null as number | null };
    try {
      await this.authorize(request, rule, timing);
    } catch (error) {
      this.observer?.authenticated(
        error instanceof ZaikioAuthError ? error.code : 'error',
        timing.seconds,
      );
      throw error;
    }
    this.observer?.authenticated('ok', timing.seconds);
    return true;
  }

  private async authorize(
    request: Request & Record<string, unknown>,
    rule: CompiledRule,
    timing: { seconds: number | null },
  ): Promise<void> {
    const started = performance.now();
    const { token, rolesKnown } = await this.verifier
      .verify(bearerTokenFrom(request))
      .finally(() => (timing.seconds = (performance.now() - started) / 1000));
    if (!grantsScope(token.scopes, rule)) {
      const held = token.scopes.map(formatScope).join(', ') || 'none';
      throw new ZaikioAuthError(
        'unpermitted_scope',
        `This endpoint requires one of the following scopes: ${rule.scopes.join(', ')} but your ` +
          `access token only includes the following scopes: ${held} - For more information check ` +
          `our docs: ${SCOPES_DOCS}`,
        rule.scopes,
      );
    }
    if (!matchesBearer(token, rule)) {
      throw new ZaikioAuthError(
        'unpermitted_subject',
        `This endpoint requires a ${rule.bearer} token but your access token's bearer is ` +
          `${token.bearer.type === 'Organization' ? 'an Organization' : 'a Person'}.`,
      );
    }
    if (rule.roles.length > 0 && !rolesKnown) {
      throw new ZaikioAuthError(
        'hub_unavailable',
        'The Zaikio role list could not be loaded yet, so roles cannot be checked; please retry.',
      );
    }
    if (!hasRole(token, rule)) {
      const roles = token.onBehalfOf?.roles.join(', ') || 'none';
      throw new ZaikioAuthError(
        'unpermitted_role',
        `This endpoint requires the acting person to have one of the following roles: ` +
          `${rule.roles.join(', ')} but they have: ${roles}.`,
      );
    }
    request[ACCESS_TOKEN_PROPERTY] = token;
  }

  /** The compiled rule for this handler and method; null for public routes. */
  private ruleFor(context: ExecutionContext, method: string): CompiledRule | null {
    const handler = context.getHandler();
    let byMethod = this.rules.get(handler);
    if (!byMethod) {
      byMethod = new Map();
      this.rules.set(handler, byMethod);
    }
    let rule = byMethod.get(method);
    if (rule === undefined) {
      const options = resolveAccessRule(this.reflector, handler, context.getClass());
      rule = options === null ? null : compileRule(options, method, this.options.appName);
      byMethod.set(method, rule);
    }
    return rule;
  }
}
