import { Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';

export interface ControllerHandler {
  readonly controller: Type<unknown>;
  /** The method's name on the controller, e.g. `list`. */
  readonly name: string;
  readonly handler: (...args: never[]) => unknown;
}

/**
 * Every method of every registered controller, routed or not (callers read the route metadata).
 * The guard's rule table and the OpenAPI rule listing both walk the app this way.
 */
export function controllerHandlers(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
): ControllerHandler[] {
  return discovery.getControllers().flatMap(({ metatype }) => {
    if (typeof metatype !== 'function') return [];
    // Nest only registers classes as controllers.
    const controller = metatype as Type<unknown>;
    const prototype = controller.prototype as Record<string, unknown>;
    return scanner.getAllMethodNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      return typeof handler === 'function'
        ? [{ controller, name, handler: handler as ControllerHandler['handler'] }]
        : [];
    });
  });
}
