import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { controllerHandlers, resolveAccessRule } from '../zaikio';
import { RouteAccess } from './access-rule-docs';

type Handler = (...args: never[]) => unknown;
type ControllerClass = abstract new (...args: never[]) => unknown;

const ALL_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'];

/**
 * Lists every controller route with the rule the guard will apply, read from the same metadata
 * and in the same way (handler over class, @Public() before any rule). The app sets no global
 * prefix or versioning; if it ever does, the docs fail loudly (no rule for a documented path)
 * instead of mislabelling a route.
 */
@Injectable()
export class RouteAccessExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): RouteAccess[] {
    return controllerHandlers(this.discovery, this.scanner).flatMap(({ controller, handler }) =>
      this.routesOf(controller, handler),
    );
  }

  private routesOf(controller: ControllerClass, handler: Handler): RouteAccess[] {
    const methodPaths = paths(Reflect.getMetadata(PATH_METADATA, handler));
    const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as
      RequestMethod | undefined;
    if (methodPaths === null || requestMethod === undefined) return [];
    const rule = resolveAccessRule(this.reflector, handler, controller) ?? 'public';
    const methods =
      requestMethod === RequestMethod.ALL ? ALL_METHODS : [RequestMethod[requestMethod]];
    const controllerPaths = paths(Reflect.getMetadata(PATH_METADATA, controller)) ?? ['/'];
    return controllerPaths.flatMap((base) =>
      methodPaths.flatMap((path) =>
        methods.map((method) => ({ path: openApiPath(base, path), method, rule })),
      ),
    );
  }
}

function paths(metadata: unknown): string[] | null {
  if (typeof metadata === 'string') return [metadata];
  if (Array.isArray(metadata)) return metadata.filter((entry) => typeof entry === 'string');
  return null;
}

/** `api/v1/items` + `:id` → `/api/v1/items/{id}`, the form Swagger writes into the document. */
export function openApiPath(base: string, path: string): string {
  const joined = [base, path]
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment.length > 0)
    .join('/');
  return `/${joined}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
