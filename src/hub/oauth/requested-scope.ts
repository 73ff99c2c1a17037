/**
 * Scopes as clients request them from the hub, with the bearer in front (`Org.`, `Per.`,
 * `Org/<id>.`, `Per>Org.`, `Per/<p>>Org/<o>.`), and Zaikio's scope error ids. Inside a token the
 * prefix is gone: `scope` there lists only `<app>.<name>.<permission>`.
 */

/** Zaikio's ids for a scope request it refuses (the `invalid_scope` description). */
export type ScopeErrorId =
  | 'malformed_scope'
  | 'different_bearer_types'
  | 'different_bearer_ids'
  | 'bearer_does_not_exist'
  | 'unpermitted_bearer_id'
  | 'scope_is_not_included_in_desired_scopes'
  | 'ungranted_scope';

export class ScopeError extends Error {
  constructor(
    readonly id: ScopeErrorId,
    detail: string,
  ) {
    super(`${id}: ${detail}`);
    this.name = 'ScopeError';
  }
}

/** `Org` and `Per` as the grammar spells them; `Per>Org` is a person on behalf of an org. */
export type RequestedBearer = 'Org' | 'Per' | 'Per>Org';

export interface RequestedScope {
  readonly bearer: RequestedBearer;
  /** The organization named in the prefix (`Org/<id>`, `Per>Org/<id>`), if any. */
  readonly organizationId: string | null;
  /** The person named in the prefix (`Per/<id>`, `Per/<id>>Org/…`), if any. */
  readonly personId: string | null;
  /** `<app>.<name>.<permission>`, as the token will list it. */
  readonly scope: string;
}

const ID = '[a-z0-9-]+';
const PLAIN = '[a-z][a-z0-9_]{2,}\\.[a-z][a-z_]{2,}\\.(?:rw|r|w)';
const REQUESTED = new RegExp(
  `^(?:(?:(Per)(?:/(${ID}))?>Org(?:/(${ID}))?|(Org|Per)(?:/(${ID}))?)\\.)?(${PLAIN})$`,
);

export function parseRequestedScope(text: string): RequestedScope {
  const match = REQUESTED.exec(text);
  if (!match) throw new ScopeError('malformed_scope', `"${text}" is not a valid scope`);
  const [, onBehalf, onBehalfPerson, onBehalfOrg, kind, id, scope] = match;
  if (onBehalf) {
    return {
      bearer: 'Per>Org',
      personId: onBehalfPerson ?? null,
      organizationId: onBehalfOrg ?? null,
      scope,
    };
  }
  // Without a prefix a scope is the person's, as on the real hub.
  const bearer = kind === 'Org' ? 'Org' : 'Per';
  return {
    bearer,
    personId: bearer === 'Per' ? (id ?? null) : null,
    organizationId: bearer === 'Org' ? (id ?? null) : null,
    scope,
  };
}

/** One request's scopes, all of one bearer kind and naming the same ids. */
export interface ScopeRequest {
  readonly bearer: RequestedBearer;
  readonly organizationId: string | null;
  readonly personId: string | null;
  readonly scopes: readonly string[];
}

/** Parses a comma-separated `scope` parameter (spaces are tolerated around entries). */
export function parseScopeRequest(parameter: string | undefined): ScopeRequest {
  const entries = (parameter ?? '')
    .split(/[,\s]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new ScopeError('malformed_scope', 'no scope requested');
  const parsed = entries.map(parseRequestedScope);
  const [first] = parsed;
  for (const other of parsed) {
    if (other.bearer !== first.bearer) {
      throw new ScopeError('different_bearer_types', 'all scopes must be for the same bearer');
    }
    if (other.organizationId !== first.organizationId || other.personId !== first.personId) {
      throw new ScopeError('different_bearer_ids', 'all scopes must name the same bearer');
    }
  }
  return {
    bearer: first.bearer,
    organizationId: first.organizationId,
    personId: first.personId,
    scopes: [...new Set(parsed.map((entry) => entry.scope))],
  };
}

/** Whether holding `held` (e.g. `warehouse.items.rw`) covers asking for `wanted` (`….r`). */
export function covers(held: string, wanted: string): boolean {
  if (held === wanted) return true;
  const name = (scope: string) => scope.slice(0, scope.lastIndexOf('.'));
  return name(held) === name(wanted) && held.endsWith('.rw');
}

/** The bearer kind a desired scope (`Org.…`, `Per.…`) is for, and its unprefixed scope. */
function desired(entry: string): { bearer: 'Org' | 'Per'; scope: string } {
  const parsed = parseRequestedScope(entry);
  return { bearer: parsed.bearer === 'Per' ? 'Per' : 'Org', scope: parsed.scope };
}

/**
 * Checks the request against the client's desired scopes and returns the scopes the bearer can
 * have: one that is desired only for the other bearer kind is silently left out, as on the real
 * hub; one that is not desired at all is refused.
 */
export function applicableScopes(
  request: ScopeRequest,
  desiredScopes: readonly string[],
): string[] {
  const wanted = desiredScopes.map(desired);
  const kind = request.bearer === 'Per' ? 'Per' : 'Org';
  const result: string[] = [];
  for (const scope of request.scopes) {
    const matching = wanted.filter((entry) => covers(entry.scope, scope));
    if (matching.length === 0) {
      throw new ScopeError(
        'scope_is_not_included_in_desired_scopes',
        `"${scope}" is not among the client's desired scopes`,
      );
    }
    if (matching.some((entry) => entry.bearer === kind)) result.push(scope);
  }
  return result;
}
