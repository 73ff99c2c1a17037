export const REVOCATION_EVENTS = new Set([
  'zaikio.revoked_access_token',
  'directory.revoked_access_token',
]);

export type LoomEvent =
  | { readonly kind: 'revocation'; readonly accessTokenId: string }
  | { readonly kind: 'ignored'; readonly name: string };

/** Thrown for a correctly signed event that cannot be understood. */
export class MalformedLoomEventError extends Error {}

/** Reads a signed Loom event body; unknown event names are acknowledged and ignored. */
export function parseLoomEvent(rawBody: Buffer): LoomEvent {
  let event: unknown;
  try {
    event = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new MalformedLoomEventError('The event body is not valid JSON.');
  }
  const name = (event as { name?: unknown } | null)?.name;
  if (typeof name !== 'string') throw new MalformedLoomEventError('The event has no name.');
  if (!REVOCATION_EVENTS.has(name)) return { kind: 'ignored', name };
  const payload = (event as { payload?: unknown }).payload;
  const id = (payload as { access_token_id?: unknown } | null | undefined)?.access_token_id;
  if (typeof id !== 'string' || id === '' || id.length > 256) {
    throw new MalformedLoomEventError(`The ${name} event has no payload.access_token_id.`);
  }
  return { kind: 'revocation', accessTokenId: id };
}
