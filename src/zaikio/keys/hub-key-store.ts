import { HubResource, HubResourceStatus } from '../hub-client/hub-resource';
import { KeySet, parseKeySet, VerificationKey } from './key-set';

export interface HubKeyStoreOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly refreshIntervalMs: number;
  readonly unknownKidRefetchIntervalMs: number;
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
 * The hub's published signing keys. Refreshed in the background well inside the one-hour limit,
 * kept when the hub fails, and refetched on an unknown `kid` at most once per interval, so a flood
 * of forged kids costs the hub a handful of requests a minute.
 */
export class HubKeyStore {
  private readonly resource: HubResource<KeySet>;
  private lastUnknownKidFetch = 0;
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

  /** The current key set; when none was ever loaded, one throttled fetch is attempted first. */
  async current(): Promise<KeySet> {
    const keys = this.resource.value;
    if (keys) return keys;
    await this.throttledRefetch();
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
   * The keys to try for a token: the named one, or every key when the token names none (the key
   * that verified last first, as most tokens are signed by the newest key).
   */
  async candidates(kid: string | null): Promise<readonly VerificationKey[]> {
    const keys = await this.current();
    if (kid === null) return this.orderForKidless(keys);
    const known = keys.byKid.get(kid);
    if (known) return [known];
    // A new key may have been published since our last fetch: refetch, but only so often.
    if (await this.throttledRefetch()) {
      const fresh = this.resource.value?.byKid.get(kid);
      if (fresh) return [fresh];
    }
    return [];
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

  private async throttledRefetch(): Promise<boolean> {
    const now = Date.now();
    if (now - this.lastUnknownKidFetch < this.options.unknownKidRefetchIntervalMs) {
      return this.resource.pending ?? false;
    }
    this.lastUnknownKidFetch = now;
    return this.resource.refresh();
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
