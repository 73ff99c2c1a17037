import { AccessToken, actingParty, Party } from '../zaikio';

/**
 * Who is asking, reduced to what the items code needs: the organization whose data it may touch
 * and the party recorded as creator/updater. Built once from the token, in the controller.
 */
export interface Tenant {
  readonly organizationId: string;
  readonly actor: Party;
}

/** The bearer is always the organization here: the route rule requires an Organization bearer. */
export function tenantOf(token: AccessToken): Tenant {
  return { organizationId: token.bearer.id, actor: actingParty(token) };
}
