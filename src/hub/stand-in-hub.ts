import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { KeyObject } from 'node:crypto';
import { ADMIN_PREFIX, AdminTarget, handleAdmin } from './admin-routes';
import {
  Claims,
  DEFAULT_ROLES,
  HubRole,
  nowInSeconds,
  privateAccessTokenClaims,
  roleBitsFor,
  withDefaults,
} from './claims';
import { answer, Fault, HubEndpoint, parseFault } from './faults';
import { listenOn, sendJson } from './http-util';
import { AddKeyOptions, Keyring, MintOptions, PublishedJwk } from './keyring';
import { DirectoryStore, MemoryDirectoryStore } from './oauth/directory';
import { OAUTH_PREFIX, OAuthServer } from './oauth/oauth-server';
import {
  HubLoomOptions,
  loomSubjectOf,
  RevocationAnnouncement,
  RevocationAnnouncer,
} from './revocation-events';
import { HubState, loadOrCreateState, saveState } from './state-file';

export { defaultDevStatePath } from './state-file';

export interface StandInHubOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Only loopback: the admin API has no authentication. */
  host?: '127.0.0.1';
  /** Keys generated at start (ignored when the state file already exists). Default 1. */
  keyCount?: number;
  /** The ordered role list; its order defines the `roles` bitfield. */
  roles?: readonly HubRole[];
  /** Keep keys and revocations in this file across restarts (development). */
  stateFile?: string;
  /** Persons, organizations, OAuth clients and grants (default: an empty one in memory). */
  directory?: DirectoryStore;
  /** Milliseconds since the epoch for the OAuth flows (codes, refresh tokens, token times). */
  clock?: () => number;
  /** With a Loom, every revocation is also posted there as Zaikio's revocation event. */
  loom?: HubLoomOptions | null;
}

/** A token this hub signed: whose it is (for the revocation event's subject) and until when. */
interface IssuedToken {
  readonly subject: string;
  readonly expiresAtMs: number;
}

/** How many signed tokens the hub remembers the bearer of. */
const ISSUED_LIMIT = 20_000;

const ROUTES: Readonly<Record<string, HubEndpoint>> = {
  '/api/v1/jwt_public_keys': 'keys',
  '/api/v1/jwt_public_keys.json': 'keys',
  '/api/v1/revoked_access_tokens': 'revoked',
  '/api/v1/revoked_access_tokens.json': 'revoked',
  '/api/v1/roles': 'roles',
  '/api/v1/roles.json': 'roles',
};

/**
 * A real HTTP server imitating the Zaikio hub's public endpoints (keys, revoked tokens, roles),
 * plus minting, revocation, key rotation and fault injection for tests and development.
 */
export class StandInHub implements AdminTarget {
  private readonly faults = new Map<HubEndpoint, Fault>();
  private readonly counts = new Map<HubEndpoint, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly revoked: Set<string>;
  private readonly issued = new Map<string, IssuedToken>();
  private readonly announcer: RevocationAnnouncer | null;
  private saving: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The OAuth 2 authorization server (`/oauth/authorize`, `/oauth/access_token`). */
  readonly oauth: OAuthServer;

  private constructor(
    private readonly server: Server,
    private readonly keyring: Keyring,
    revokedTokenIds: readonly string[],
    readonly roles: readonly HubRole[],
    private readonly stateFile: string | undefined,
    directory: DirectoryStore,
    clock: () => number,
    loom: HubLoomOptions | null,
  ) {
    this.revoked = new Set(revokedTokenIds);
    this.oauth = new OAuthServer(directory, {
      roles,
      nowMs: clock,
      mint: (claims) => this.mint(claims),
      revoke: (jti) => this.revoke(jti),
    });
    this.announcer = loom ? new RevocationAnnouncer(loom, () => this.revokedListUrl) : null;
  }

  /** The hub's persons, organizations, memberships, OAuth clients and grants. */
  get directory(): DirectoryStore {
    return this.oauth.store;
  }

  static async start(options: StandInHubOptions = {}): Promise<StandInHub> {
    const roles = [...(options.roles ?? DEFAULT_ROLES)];
    if (new Set(roles.map((role) => role.id)).size !== roles.length) {
      throw new Error('Stand-in hub roles must have unique ids');
    }
    const state = options.stateFile
      ? await loadOrCreateState(options.stateFile, () => freshState(options.keyCount))
      : await freshState(options.keyCount);
    const server = createServer();
    const hub = new StandInHub(
      server,
      Keyring.fromState(state),
      state.revokedTokenIds,
      roles,
      options.stateFile,
      options.directory ?? new MemoryDirectoryStore(),
      options.clock ?? Date.now,
      options.loom ?? null,
    );
    await listenOn(
      server,
      options.port ?? 0,
      options.host ?? '127.0.0.1',
      (req, res) => hub.handle(req, res),
      {
        error: 'stand-in hub failure',
      },
    );
    return hub;
  }

  /** Reads a state file's keys (creating it if missing) to mint without an HTTP server. */
  static async loadKeyring(stateFile: string): Promise<Keyring> {
    return Keyring.fromState(await loadOrCreateState(stateFile, () => freshState(1)));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Closes every socket, including hanging and keep-alive ones, so jest can exit. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    await this.announcer?.stop();
    await this.saving;
  }

  // --- keys -------------------------------------------------------------------------------

  get kids(): string[] {
    return this.keyring.kids;
  }

  /** The key mint() uses by default: the newest one published by rotateKey(). */
  get signingKid(): string {
    return this.keyring.signingKid;
  }

  /** Publishes a new key that becomes the signing key; older keys stay published. */
  async rotateKey(): Promise<string> {
    const kid = await this.keyring.addKey({ signing: true });
    await this.persist();
    return kid;
  }

  /** Publishes an extra key without making it the signing key (unless `signing`). */
  async addKey(options: AddKeyOptions = {}): Promise<string> {
    const kid = await this.keyring.addKey(options);
    await this.persist();
    return kid;
  }

  /** Unpublishes a key; false when no such key. */
  async removeKey(kid: string): Promise<boolean> {
    const removed = this.keyring.remove(kid);
    if (removed) await this.persist();
    return removed;
  }

  privateKeyOf(kid: string): KeyObject {
    return this.keyring.privateKeyOf(kid);
  }

  publicJwkOf(kid: string): PublishedJwk {
    return this.keyring.publicJwkOf(kid);
  }

  // --- tokens -----------------------------------------------------------------------------

  mint(claims: Partial<Claims> = {}, options: MintOptions = {}): string {
    const full = withDefaults(claims, nowInSeconds());
    const token = this.keyring.mint(full, options);
    this.remember(full);
    return token;
  }

  /** A private access token as the real hub makes it: aud = the bearer, a year, kid, no typ. */
  mintPrivateAccessToken(
    bearer: `Organization/${string}` | `Person/${string}`,
    scope: readonly string[],
  ): string {
    return this.mint(privateAccessTokenClaims(bearer, scope, nowInSeconds()));
  }

  signRaw(headerJson: string, payloadJson: string, kid?: string): string {
    return this.keyring.signRaw(headerJson, payloadJson, kid);
  }

  roleBits(roleIds: readonly string[]): number {
    return roleBitsFor(this.roles, roleIds);
  }

  /**
   * Lists the token id in `revoked_access_tokens` and, with a Loom, announces it there. The event
   * needs the bearer: known for tokens this hub signed, else `subject` (`Org/<id>`, `Per/<id>`)
   * must name it. Resolves to whether an event is being sent.
   */
  async revoke(jti: string, subject?: string): Promise<boolean> {
    if (this.revoked.has(jti)) return false;
    this.revoked.add(jti);
    await this.persist();
    const bearer = subject ?? this.issued.get(jti)?.subject ?? null;
    this.issued.delete(jti);
    if (this.announcer === null || bearer === null) return false;
    this.announcer.announce(jti, bearer);
    return true;
  }

  /** The revocation events posted to Loom so far, with Loom's last answer to each. */
  get revocationAnnouncements(): readonly RevocationAnnouncement[] {
    return this.announcer?.announcements ?? [];
  }

  private get revokedListUrl(): string {
    return `${this.url}/api/v1/revoked_access_tokens`;
  }

  /** Remembers whose a signed token is, until it expires (expired ones are swept as it grows). */
  private remember(claims: Partial<Claims>): void {
    const subject = loomSubjectOf(claims.sub);
    if (typeof claims.jti !== 'string' || subject === null || typeof claims.exp !== 'number')
      return;
    if (this.issued.size >= ISSUED_LIMIT) {
      const now = Date.now();
      for (const [jti, token] of this.issued) if (token.expiresAtMs <= now) this.issued.delete(jti);
      // Still full (a benchmark minting): forget the oldest half, whose events then need `subject`.
      for (const jti of this.issued.keys()) {
        if (this.issued.size <= ISSUED_LIMIT / 2) break;
        this.issued.delete(jti);
      }
    }
    this.issued.set(claims.jti, { subject, expiresAtMs: claims.exp * 1000 });
  }

  get revokedTokenIds(): string[] {
    return [...this.revoked];
  }

  // --- faults -----------------------------------------------------------------------------

  setFault(endpoint: HubEndpoint, fault: Fault | null): void {
    if (fault === null) this.faults.delete(endpoint);
    else this.faults.set(endpoint, parseFault(fault, endpoint));
  }

  /** How many requests the endpoint received (both spellings, faulted ones included). */
  requestCount(endpoint: HubEndpoint): number {
    return this.counts.get(endpoint) ?? 0;
  }

  resetCounts(): void {
    this.counts.clear();
  }

  // --- HTTP -------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Not new URL(): it would read a path like `//host/...` as a host.
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname.startsWith(ADMIN_PREFIX)) return handleAdmin(req, res, pathname, this);
    if (pathname.startsWith(OAUTH_PREFIX)) return this.oauth.handle(req, res, pathname);
    const endpoint = ROUTES[pathname];
    if (endpoint === undefined || req.method !== 'GET') {
      return sendJson(res, 404, { errors: ['not_found'] });
    }
    this.counts.set(endpoint, this.requestCount(endpoint) + 1);
    answer(res, this.faults.get(endpoint) ?? null, {
      body: this.bodyOf(endpoint),
      later: (ms, fn) => this.later(ms, fn),
    });
  }

  private bodyOf(endpoint: HubEndpoint): string {
    switch (endpoint) {
      case 'keys':
        return JSON.stringify({ keys: this.keyring.publishedKeys });
      case 'revoked':
        return JSON.stringify({ revoked_token_ids: this.revokedTokenIds });
      case 'roles':
        return JSON.stringify(this.roles.map(({ id, name }) => ({ id, name })));
    }
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Saves one after another, so a slow write never lands after a newer one. */
  private persist(): Promise<void> {
    const file = this.stateFile;
    if (file === undefined) return Promise.resolve();
    const state: HubState = { ...this.keyring.toState(), revokedTokenIds: this.revokedTokenIds };
    const next = this.saving.then(() => saveState(file, state));
    this.saving = next.catch(() => undefined);
    return next;
  }
}

async function freshState(keyCount = 1): Promise<HubState> {
  if (!Number.isInteger(keyCount) || keyCount < 0) {
    throw new Error('keyCount must be a whole number');
  }
  const keyring = await Keyring.generate(keyCount);
  return { ...keyring.toState(), revokedTokenIds: [] };
}
