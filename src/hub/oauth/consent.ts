import { AuthorizationRequest } from './authorization-request';
import {
  addGrant,
  administers,
  DirectoryData,
  grantCovers,
  membershipOf,
  TokenSubject,
} from './directory';
import { OAuthError } from './oauth-error';

/** What the developer picked on the consent page. */
export interface ConsentChoice {
  readonly personId: string | null;
  readonly organizationId: string | null;
}

export type ConsentOutcome =
  /** Approved: a code for this subject and these scopes goes back to the client. */
  | { readonly kind: 'approved'; readonly subject: TokenSubject; readonly scopes: string[] }
  /** The choice cannot work (no person picked, not a member, …): the page asks again. */
  | { readonly kind: 'ask-again'; readonly message: string }
  /** The request itself cannot be granted to this person: the error goes back to the client. */
  | { readonly kind: 'refused'; readonly error: OAuthError };

/**
 * Approves `request` for the chosen person (and organization), recording the consent as the
 * real hub does: a person grants to themselves; an organization's admin grants for it. On behalf
 * of an organization, a member only gets the scopes the organization has granted already; the
 * others are left out silently (Zaikio's on-behalf guide).
 */
export function approve(
  data: DirectoryData,
  request: AuthorizationRequest,
  choice: ConsentChoice,
): ConsentOutcome {
  const clientId = request.client.id;
  const person = data.persons.find((candidate) => candidate.id === choice.personId);
  if (person === undefined) return { kind: 'ask-again', message: 'Pick the person who signs in.' };
  const { bearer, organizationId: preselected } = request.scopeRequest;
  if (bearer === 'Per') {
    addGrant(data, clientId, `Person/${person.id}`, [...request.scopes]);
    return {
      kind: 'approved',
      subject: { kind: 'Person', personId: person.id },
      scopes: [...request.scopes],
    };
  }
  const organization = data.organizations.find(
    (candidate) => candidate.id === (preselected ?? choice.organizationId),
  );
  if (organization === undefined) return { kind: 'ask-again', message: 'Pick an organization.' };
  const admin = administers(data, person.id, organization.id);
  const allowed =
    bearer === 'Org' ? admin : membershipOf(data, person.id, organization.id) !== undefined;
  if (!allowed) {
    if (preselected !== null) {
      // The client named the organization, and this person may not act for it.
      return { kind: 'refused', error: new OAuthError('invalid_scope', 'unpermitted_bearer_id') };
    }
    const role = bearer === 'Org' ? 'an owner or admin' : 'a member';
    return {
      kind: 'ask-again',
      message: `${person.name} is not ${role} of ${organization.name}: pick another person or organization.`,
    };
  }
  const grantBearer = `Organization/${organization.id}`;
  if (admin) addGrant(data, clientId, grantBearer, [...request.scopes]);
  if (bearer === 'Org') {
    return {
      kind: 'approved',
      subject: { kind: 'Organization', organizationId: organization.id },
      scopes: [...request.scopes],
    };
  }
  return {
    kind: 'approved',
    subject: { kind: 'OnBehalf', personId: person.id, organizationId: organization.id },
    scopes: request.scopes.filter((scope) => grantCovers(data, clientId, grantBearer, [scope])),
  };
}
