/**
 * The set of revoked token ids. Lookups are synchronous on purpose: every request asks, so an
 * implementation backed by a shared store keeps a local mirror and answers from it.
 */
export interface RevocationStore {
  isRevoked(jti: string): boolean;
  /** Adds revoked ids; adding a known id again is harmless. */
  revoke(jtis: Iterable<string>): Promise<void>;
  size(): number;
}

export const REVOCATION_STORE = Symbol('REVOCATION_STORE');

/** Revocations in process memory: enough for one instance. */
export class InMemoryRevocationStore implements RevocationStore {
  private readonly revoked = new Set<string>();

  isRevoked(jti: string): boolean {
    return this.revoked.has(jti);
  }

  revoke(jtis: Iterable<string>): Promise<void> {
    for (const jti of jtis) this.revoked.add(jti);
    return Promise.resolve();
  }

  size(): number {
    return this.revoked.size;
  }
}
