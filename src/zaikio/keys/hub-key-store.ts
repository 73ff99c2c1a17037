import { HubResource, HubResourceStatus } from '../hub-client/hub-resource';
import { KeySet, parseKeySet, VerificationKey } from './key-set';

export interface HubKeyStoreOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly refreshIntervalMs: number;
  /** The least time between two key fetch starts of any cause (5 s: at most 12 a minute). */
  readonly minFetchIntervalMs: number;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
}

/** The hub has never given us a usable key set: nobody can be authenticated yet. */
export class NoKeysLoadedError extends Error {
  constructor() {
    super('no hub keys loaded yet');
    this.name = 'NoKeysLoadedError';
  }
}

/**
 * The hub's published signing keys. Refreshed in the background well inside the one-hour limit and
 * kept when the hub fails. A token that no loaded key can verify (an unknown `kid`, or no `kid` and
 * no key that verifies it) may be signed by a key published since the last fetch, so it asks for a
 * refetch: started at once unless a fetch started less than minFetchIntervalMs ago, shared while
 * one is under way, and otherwise brought forward to the end of that interval. However many forged
 * tokens arrive, fetch starts stay minFetchIntervalMs apart.
 */
export class HubKeyStore {
  private readonly resource: HubResource<KeySet>;
  private lastVerified: VerificationKey | null = null;
  private listeners: Array<(keys: KeySet) => void> = [];

  constructor(private readonly options: HubKeyStoreOptions) {
    this.resource = new HubResource<KeySet>({
      name: 'jwt_public_keys',
      url: options.url,
      parse: (body) => keepUnchangedKeys(this.resource.value, parseKeySet(body)),
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      refreshIntervalMs: options.refreshIntervalMs,
      retryMinMs: options.retryMinMs,
      retryMaxMs: options.retryMaxMs,
      minFetchIntervalMs: options.minFetchIntervalMs,
      onLoaded: (keys) => this.listeners.forEach((listener) => listener(keys)),
    });
  }

  start(): Promise<void> {
    return this.resource.start();
  }

  stop(): void {
    this.resource.stop();
  }

  /** Refetches now (sharing a fetch already under way); true when fresh keys were loaded. */
  refresh(): Promise<boolean> {
    return this.resource.refresh();
  }

  status(): HubResourceStatus {
    return this.resource.status();
  }

  /** Called with every newly loaded key set (e.g. to drop cache entries of removed keys). */
  onKeysLoaded(listener: (keys: KeySet) => void): void {
    this.listeners.push(listener);
  }

  /** The current key set; when none was ever loaded, the refetch a miss may make is awaited. */
  async current(): Promise<KeySet> {
    const keys = this.resource.value;
    if (keys) return keys;
    await this.refetchAfterMiss();
    const loaded = this.resource.value;
    if (!loaded) throw new NoKeysLoadedError();
    return loaded;
  }

  /**
   * Whether the key is still published (used to invalidate cached verifications). Keys are
   * compared as objects: a refresh that republishes a key keeps its object (see keepUnchangedKeys).
   */
  isPublished(key: VerificationKey): boolean {
    return this.resource.value?.keys.includes(key) ?? false;
  }

  /**
   * The loaded keys to try for a token: the one it names (none when that kid is unknown), or every
   * key when it names none, the key that verified last first (most tokens come from the newest).
   */
  async candidates(kid: string | null): Promise<readonly VerificationKey[]> {
    return this.pick(await this.current(), kid);
  }

  /** candidates() without waiting: null when no key set was ever loaded. */
  loadedCandidates(kid: string | null): readonly VerificationKey[] | null {
    const keys = this.resource.value;
    return keys ? this.pick(keys, kid) : null;
  }

  private pick(keys: KeySet, kid: string | null): readonly VerificationKey[] {
    if (kid !== null) {
      const known = keys.byKid.get(kid);
      return known ? [known] : [];
    }
    return this.orderForKidless(keys);
  }

  /**
   * A token found no key among the loaded ones. Resolves true when a fresh key set was loaded for
   * it (a fetch started now, or the one already under way), false at once when a fetch started
   * too recently: then the next fetch is brought forward to the end of the interval, so a client
   * of a just-published key is accepted within minFetchIntervalMs however the requests fall.
   */
  refetchAfterMiss(): Promise<boolean> {
    const pending = this.resource.pending;
    if (pending) return pending;
    const wait = this.resource.nextFetchAllowedIn();
    if (wait === 0) return this.resource.refresh();
    this.resource.refreshWithin(wait);
    return Promise.resolve(false);
  }

  /** How long until a refetch after a miss would start at once (0: now). */
  nextFetchAllowedIn(): number {
    return this.resource.nextFetchAllowedIn();
  }

  /** Remembers the key that verified a kid-less token so the next one tries it first. */
  noteVerified(key: VerificationKey): void {
    this.lastVerified = key;
  }

  private orderForKidless(keys: KeySet): readonly VerificationKey[] {
    const first = this.lastVerified;
    if (!first || keys.keys[0] === first || !keys.keys.includes(first)) return keys.keys;
    return [first, ...keys.keys.filter((key) => key !== first)];
  }
}

/**
 * A refreshed key set with every key that did not change (same kid, same key material) replaced
 * by the object already loaded, so verifications cached against it stay valid across refreshes.
 */
function keepUnchangedKeys(previous: KeySet | null, next: KeySet): KeySet {
  if (previous === null) return next;
  const keys = next.keys.map(
    (key) =>
      previous.keys.find((known) => known.kid === key.kid && known.key.equals(key.key)) ?? key,
  );
  const byKid = new Map<string, VerificationKey>();
  for (const key of keys) if (key.kid !== null) byKid.set(key.kid, key);
  return { keys, byKid };
}
