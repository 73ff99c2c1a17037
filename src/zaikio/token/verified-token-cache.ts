import * as crypto from 'node:crypto';
import { VerificationKey } from '../keys/key-set';
import { ValidatedClaims } from './claims';

/** What a successful signature and claims check established about one token. */
export interface VerifiedEntry {
  /** The published key the signature verified with: the entry dies with it. */
  readonly key: VerificationKey;
  /** Claims as validated then (frozen: entries are shared between requests). */
  readonly claims: ValidatedClaims;
}

export const DEFAULT_MAX_ENTRIES = 10_000;

// crypto.hash (one-shot, no Hash object) is on Node >= 20.12; createHash is the fallback.
const oneShotHash = (crypto as { hash?: typeof crypto.hash }).hash;

/**
 * The cache key: a SHA-256 digest of the whole compact token, so the cache holds no bearer
 * credentials and a hit means the very same token (a second preimage of SHA-256 is out of reach).
 */
export function tokenDigest(raw: string): string {
  return oneShotHash
    ? oneShotHash('sha256', raw, 'base64')
    : crypto.createHash('sha256').update(raw).digest('base64');
}

/**
 * A bounded cache of tokens whose signature and claims were verified. It remembers only what cannot
 * change for a given token (signature, issuer, audience, subject, scopes, nbf/iat already passed);
 * the caller re-checks expiry, revocation and the key at each hit.
 *
 * Least recently used entries go first, in two generations of maxEntries / 2: new and used entries
 * go into the recent one; when it is full it becomes the older one and the previous older one is
 * dropped whole. An entry used within the last maxEntries / 2 insertions always survives; one
 * unused for maxEntries insertions is always gone. Unlike a Map reordered on every hit, this costs
 * one Map operation per request and never walks the entries (see BENCHMARKS.md).
 */
export class VerifiedTokenCache {
  private recent = new Map<string, VerifiedEntry>();
  private older = new Map<string, VerifiedEntry>();
  private readonly generationSize: number;

  constructor(readonly maxEntries = DEFAULT_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 2) {
      throw new Error('maxEntries must be a whole number of at least 2');
    }
    this.generationSize = Math.floor(maxEntries / 2);
  }

  get size(): number {
    return this.recent.size + this.older.size;
  }

  /** The entry for this digest, which counts as used now. */
  get(digest: string): VerifiedEntry | undefined {
    const entry = this.recent.get(digest);
    if (entry !== undefined) return entry;
    const older = this.older.get(digest);
    if (older !== undefined) {
      this.older.delete(digest);
      this.insert(digest, older);
    }
    return older;
  }

  set(digest: string, entry: VerifiedEntry): void {
    this.delete(digest);
    this.insert(digest, freezeEntry(entry));
  }

  delete(digest: string): void {
    this.recent.delete(digest);
    this.older.delete(digest);
  }

  /** Drops every entry verified with a key that is not in `published` (a key set just loaded). */
  retainKeys(published: readonly VerificationKey[]): void {
    for (const generation of [this.recent, this.older]) {
      for (const [digest, entry] of generation) {
        if (!published.includes(entry.key)) generation.delete(digest);
      }
    }
  }

  clear(): void {
    this.recent.clear();
    this.older.clear();
  }

  private insert(digest: string, entry: VerifiedEntry): void {
    if (this.recent.size >= this.generationSize) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(digest, entry);
  }
}

/** Shared between requests, so nothing a handler receives may be changed in place. */
function freezeEntry(entry: VerifiedEntry): VerifiedEntry {
  const { claims } = entry;
  Object.freeze(claims.subject.bearer);
  Object.freeze(claims.subject);
  claims.audiences.forEach((audience) => Object.freeze(audience));
  claims.scopes.forEach((scope) => Object.freeze(scope));
  Object.freeze(claims.audiences);
  Object.freeze(claims.scopes);
  Object.freeze(claims);
  return Object.freeze({ key: entry.key, claims });
}
