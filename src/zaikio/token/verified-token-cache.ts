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
  private readonly seen: SightingFilter;

  constructor(readonly maxEntries = DEFAULT_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 2) {
      throw new Error('maxEntries must be a whole number of at least 2');
    }
    this.generationSize = Math.floor(maxEntries / 2);
    this.seen = new SightingFilter(maxEntries);
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

  /**
   * Caches a token that just verified, but only the second time it turns up within the last
   * maxEntries first sightings: a token used once (most tokens under a flood of new ones) would only
   * push a useful entry out, and every short-lived entry costs the garbage collector more than it
   * saves. Returns whether the entry was cached.
   */
  offer(digest: string, entry: VerifiedEntry): boolean {
    if (!this.seen.checkAndMark(digest)) return false;
    this.set(digest, entry);
    return true;
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
    this.seen.reset();
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

const SIGHTING_BITS = 1 << 18;
/** Base64 character code -> its 6-bit value. */
const BASE64_VALUES = new Uint8Array(128);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach(
  (character, value) => (BASE64_VALUES[character.charCodeAt(0)] = value),
);

/** 18 uniformly distributed bits of a base64 SHA-256 digest, from 3 characters at `at`. */
function bitIndex(digest: string, at: number): number {
  return (
    (BASE64_VALUES[digest.charCodeAt(at)] << 12) |
    (BASE64_VALUES[digest.charCodeAt(at + 1)] << 6) |
    BASE64_VALUES[digest.charCodeAt(at + 2)]
  );
}

/**
 * Which digests were seen recently, in a fixed 32 KiB Bloom filter (two bit positions per digest)
 * that is wiped after `resetAfter` new digests. It allocates nothing per request, so a flood of
 * never-repeated tokens leaves no garbage behind. A false "seen" (under 1 % at the bound) only
 * means a verified token is cached one use early; it never lets anything skip a check.
 */
class SightingFilter {
  private readonly bits = new Uint32Array(SIGHTING_BITS / 32);
  private marked = 0;

  constructor(private readonly resetAfter: number) {}

  /** Whether the digest was seen since the last wipe; marks it as seen otherwise. */
  checkAndMark(digest: string): boolean {
    const first = bitIndex(digest, 0);
    const second = bitIndex(digest, 3);
    if (this.has(first) && this.has(second)) return true;
    if (this.marked >= this.resetAfter) this.reset();
    this.marked++;
    this.bits[first >>> 5] |= 1 << (first & 31);
    this.bits[second >>> 5] |= 1 << (second & 31);
    return false;
  }

  reset(): void {
    this.bits.fill(0);
    this.marked = 0;
  }

  private has(index: number): boolean {
    return (this.bits[index >>> 5] & (1 << (index & 31))) !== 0;
  }
}
