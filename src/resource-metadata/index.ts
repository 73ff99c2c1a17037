// RFC 9728 protected resource metadata: import the module; the error filter names the URL in 401s.
export { ProtectedResourceModule } from './protected-resource.module';
export { PROTECTED_RESOURCE_PATH, resourceMetadataUrlOf } from './protected-resource';
