import type { Request } from 'express';

/** RFC 9728 §3: the well-known URI suffix of protected resource metadata. */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

/**
 * This server's resource identifier: the origin the client reached it at. RFC 9728 §3.3 asks a
 * client to check that `resource` equals the URL it fetched the metadata from, so the request's
 * own scheme and host are what must come back.
 */
export function resourceOf(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}

export function resourceMetadataUrlOf(request: Request): string {
  return `${resourceOf(request)}${PROTECTED_RESOURCE_PATH}`;
}
