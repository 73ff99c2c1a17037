// Helpers for specs only: a migrated in-memory database and a Nest app around a feature module.
export { createTestDatabase } from './test-database';
export {
  anOrganizationToken,
  aPersonToken,
  createHttpTestApp,
  httpServerOf,
} from './http-test-app';
export { aTestConfig } from '../../config/testing';
export { embeddedDatabasePids } from './embedded-processes';
