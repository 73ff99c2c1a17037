import { ExecutionContext, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { parseScope } from '../token/grammar';
import { ZAIKIO_AUTH_OPTIONS, ZaikioAuthOptions } from '../zaikio-auth.options';
import { AccessRuleOptions } from './access-rule';
import {
  CompiledRule,
  compileRule,
  isReadMethod,
  qualifyResource,
  scopeResources,
} from './compiled-rule';
import { controllerHandlers } from './controller-handlers';
import { resolveAccessRule } from './resolve-rule';

type Handler = ReturnType<ExecutionContext['getHandler']>;
type ControllerClass = ReturnType<ExecutionContext['getClass']>;

/** A handler's rule compiled for both kinds of access a method can ask for; null when public. */
export type HandlerRules = { readonly read: CompiledRule; readonly write: CompiledRule } | null;

/** A route rule that cannot work, found at start-up: the app refuses to boot with it. */
export class InvalidAccessRuleError extends Error {
  constructor(where: string, problem: string) {
    super(`@ZaikioAccess on ${where}: ${problem}`);
    this.name = 'InvalidAccessRuleError';
  }
}

/**
 * Every controller handler's access rule, resolved and compiled once when the app boots (a bad
 * rule stops the boot instead of failing its first request). The guard then does one Map lookup
 * per request. Handlers it did not see at boot (added to the app later) are compiled on first
 * use, by the same rules.
 */
@Injectable()
export class RouteRuleTable implements OnModuleInit {
  private readonly rules = new Map<Handler, HandlerRules>();
  private readonly appName: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(ZAIKIO_AUTH_OPTIONS) options: ZaikioAuthOptions,
  ) {
    this.appName = options.appName;
  }

  /** Runs once every module is instantiated, before the app listens. */
  onModuleInit(): void {
    this.compileAll();
  }

  /** Compiles the rule of every handler of every controller; throws InvalidAccessRuleError. */
  compileAll(): void {
    for (const { controller, name, handler } of controllerHandlers(this.discovery, this.scanner)) {
      this.compile(handler, controller, `${controller.name}.${name}`);
    }
  }

  /** The rule for this handler and method (null: public). */
  ruleFor(handler: Handler, controller: ControllerClass, method: string): CompiledRule | null {
    let rules = this.rules.get(handler);
    if (rules === undefined) {
      rules = this.compile(handler, controller, `${controller.name}.${handler.name}`);
    }
    if (rules === null) return null;
    return isReadMethod(method) ? rules.read : rules.write;
  }

  /** How many handlers have a compiled entry (public ones included). */
  get size(): number {
    return this.rules.size;
  }

  private compile(handler: Handler, controller: ControllerClass, where: string): HandlerRules {
    const options = resolveAccessRule(this.reflector, handler, controller);
    if (options !== null) checkRule(options, this.appName, where);
    const rules =
      options === null
        ? null
        : {
            read: compileRule(options, 'GET', this.appName),
            write: compileRule(options, 'POST', this.appName),
          };
    this.rules.set(handler, rules);
    return rules;
  }
}

/** Catches what would otherwise deny every request of a route: malformed scopes and roles. */
function checkRule(rule: AccessRuleOptions, appName: string, where: string): void {
  const resources = scopeResources(rule);
  if (rule.scope !== undefined && resources.length === 0) {
    throw new InvalidAccessRuleError(where, 'scope is an empty list; omit it for any valid token');
  }
  for (const resource of resources) {
    if (parseScope(`${qualifyResource(resource, appName)}.rw`) === null) {
      throw new InvalidAccessRuleError(
        where,
        `scope "${resource}" is neither a resource name (items) nor <app>.<resource>`,
      );
    }
  }
  if (rule.roles !== undefined) {
    if (rule.roles.length === 0) {
      throw new InvalidAccessRuleError(where, 'roles is an empty list; omit it for no role check');
    }
    const bad = rule.roles.find((role) => !/^[a-z][a-z0-9_-]*$/.test(role));
    if (bad !== undefined)
      throw new InvalidAccessRuleError(where, `role "${bad}" is not a role name`);
  }
}
