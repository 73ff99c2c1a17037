// The public surface of the Zaikio auth module: everything an application needs, nothing more.
export { ZaikioAccess, Public, CurrentToken } from './rules/decorators';
export type { AccessRuleOptions } from './rules/access-rule';
export { AccessRuleMetadata, PublicMetadata } from './rules/metadata-keys';
export type {
  AccessToken,
  Audience,
  BearerType,
  OnBehalfPerson,
  Party,
  Permission,
  Scope,
} from './token/access-token';
export { actingParty, actingPersonId, formatAudience, formatScope } from './token/access-token';
