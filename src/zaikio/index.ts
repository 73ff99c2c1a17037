// The public surface of the Zaikio auth module: everything an application needs, nothing more.
export { ZaikioAuthModule } from './zaikio-auth.module';
export { ZAIKIO_AUTH_OPTIONS } from './zaikio-auth.options';
export type { ZaikioAuthAsyncOptions } from './zaikio-auth.module';
export type { ZaikioAuthOptions } from './zaikio-auth.options';
export { FROM_CACHE, ZAIKIO_AUTH_OBSERVER, ZaikioAuthGuard } from './rules/zaikio-auth.guard';
export type { Verification, ZaikioAuthObserver } from './rules/zaikio-auth.guard';
export { ACCESS_TOKEN_PROPERTY, ZaikioAccess, Public, CurrentToken } from './rules/decorators';
export type { AccessRuleOptions } from './rules/access-rule';
export { AccessRuleMetadata, PublicMetadata } from './rules/metadata-keys';
export { compileRule, requiredScopes } from './rules/compiled-rule';
export { resolveAccessRule } from './rules/resolve-rule';
export { controllerHandlers } from './rules/controller-handlers';
export { InvalidAccessRuleError } from './rules/route-rule-table';
export type { CompiledRule } from './rules/compiled-rule';
export { ZaikioAuthError } from './errors/zaikio-auth.error';
export type { ZaikioAuthErrorCode } from './errors/zaikio-auth.error';
export { ZaikioHubService } from './hub-client/zaikio-hub.service';
export type { HubResourceStatus } from './hub-client/hub-resource';
export { InMemoryRevocationStore, REVOCATION_STORE } from './revocation/revocation-store';
export { RedisRevocationStore } from './revocation/redis-revocation-store';
export type { RevocationSyncStatus } from './revocation/redis-revocation-store';
export type { RevocationStore } from './revocation/revocation-store';
export { loomSignature } from './webhook/loom-signature';
export { LOOM_WEBHOOK_PATH } from './webhook/loom-webhook.controller';
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
export { memoized, TokenMemoSlot } from './token/token-memo';
export { PARTY_ID_PATTERN, SCOPE_PATTERN } from './token/grammar';
