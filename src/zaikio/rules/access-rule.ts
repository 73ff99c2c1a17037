import { BearerType, Permission } from '../token/access-token';

/**
 * A route's whole access rule, as written on the route. Read by the guard and by the OpenAPI
 * document, so enforcement and documentation come from the same object.
 */
export interface AccessRuleOptions {
  /**
   * Scope resources; any of them will do. `items` means `<this app>.items`; a dotted name such as
   * `directory.organization` names another app's scope. Omit for "any valid token".
   */
  readonly scope?: string | readonly string[];
  /** Overrides the access picked from the HTTP method (GET/HEAD → r, others → w). */
  readonly access?: 'r' | 'w';
  /** Bearer type required. An on-behalf token counts as Organization and, as its person, Person. */
  readonly bearer?: BearerType;
  /** Roles of the on-behalf person; any of them will do. */
  readonly roles?: readonly string[];
}

export type { Permission };
