// The docs feature: import DocsModule in the app module and call setupDocs(app, config).
export { DocsModule } from './docs.module';
export { RouteAccessExplorer } from './route-access.explorer';
export { buildApiDocument, setupDocs } from './setup-docs';
export { documentAccessRules, BEARER_SCHEME, OAUTH_SCHEME } from './access-rule-docs';
export type { RouteAccess, ZaikioAccessExtension, DocumentedOperation } from './access-rule-docs';
export { zaikioManifest, API_DOCUMENT_PATH, LOGO_PATH } from './manifest';
export type { ZaikioManifest } from './manifest';
export { ApiNotFound } from './error-schemas';
export { requestableScopes, requestableScopesOf } from './requestable-scopes';
export {
  OAUTH_REDIRECT_PATH,
  SWAGGER_CLIENT_ID,
  SWAGGER_CONFIG_PATH,
  swaggerRedirectUris,
} from './swagger-sign-in';
