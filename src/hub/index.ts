// What the app (embedded development hub), the e2e tests and the token CLI use of the stand-in.
export { StandInHub, defaultDevStatePath } from './stand-in-hub';
export type { StandInHubOptions } from './stand-in-hub';
export { DEFAULT_ROLES, roleBitsFor } from './claims';
export type { Claims, HubRole, ZaikioClaims } from './claims';
export { HUB_ENDPOINTS } from './faults';
export type { Fault, HubEndpoint } from './faults';
export type { AddKeyOptions, MintOptions, PublishedJwk } from './keyring';
export { Keyring } from './keyring';
export { base64url, signCompact } from './jws';
