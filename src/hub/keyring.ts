import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  KeyObject,
  randomBytes,
} from 'node:crypto';
import { promisify } from 'node:util';
import { Claims, nowInSeconds, withDefaults } from './claims';
import { signCompact } from './jws';

const generateRsaKeyPair = promisify(generateKeyPair);

/** A public key as `GET /api/v1/jwt_public_keys` lists it. */
export interface PublishedJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid?: string;
  use?: string;
  alg?: string;
}

/** For attack tests: publish a key that must not be used to verify tokens, or one without kid. */
export interface AddKeyOptions {
  /** `use` member; null leaves it out. Default 'sig'. */
  use?: string | null;
  /** `alg` member; null leaves it out. Default 'RS256'. */
  alg?: string | null;
  /** Whether the published JWK names its kid. Default true. */
  publishKid?: boolean;
  /** Make it the key mint() signs with by default. Default false (rotateKey() sets it). */
  signing?: boolean;
}

export interface MintOptions {
  /** Sign with this key (and name it in the header). Default: the signing key. */
  kid?: string;
  /** Put `kid` in the header. Default true. */
  includeKid?: boolean;
  /** Extra or overriding header fields; `undefined` removes one (e.g. `typ`). */
  header?: Record<string, unknown>;
  /** Sign with a key the hub never published (the header still names `kid`, if any). */
  privateKey?: KeyObject;
}

interface HubKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: PublishedJwk;
  readonly publishKid: boolean;
}

/** One key as the state file stores it. The private JWK never leaves that file. */
export interface StoredKey {
  kid: string;
  use: string | null;
  alg: string | null;
  publishKid: boolean;
  privateJwk: Record<string, unknown>;
}

export interface KeyringState {
  signingKid: string | null;
  keys: StoredKey[];
}

function newKid(): string {
  return randomBytes(16).toString('base64url');
}

function toHubKey(kid: string, privateKey: KeyObject, options: AddKeyOptions): HubKey {
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof n !== 'string' || typeof e !== 'string') throw new Error('Not an RSA key');
  const publishKid = options.publishKid ?? true;
  const use = options.use === undefined ? 'sig' : options.use;
  const alg = options.alg === undefined ? 'RS256' : options.alg;
  // Member order mirrors the hub: kty, n, e, kid, use, alg.
  const jwk: PublishedJwk = { kty: 'RSA', n, e };
  if (publishKid) jwk.kid = kid;
  if (use !== null) jwk.use = use;
  if (alg !== null) jwk.alg = alg;
  return { kid, privateKey, jwk, publishKid };
}

/** The hub's RSA keys, in publication order, and the minting that uses them. */
export class Keyring {
  private keys: HubKey[] = [];
  private signing: string | null = null;

  static async generate(count = 1): Promise<Keyring> {
    const keyring = new Keyring();
    for (let i = 0; i < count; i++) await keyring.addKey({ signing: true });
    return keyring;
  }

  static fromState(state: KeyringState): Keyring {
    const keyring = new Keyring();
    for (const stored of state.keys) {
      const privateKey = createPrivateKey({ key: stored.privateJwk, format: 'jwk' });
      keyring.keys.push(toHubKey(stored.kid, privateKey, stored));
    }
    keyring.signing = keyring.has(state.signingKid) ? state.signingKid : keyring.fallbackSigner();
    return keyring;
  }

  toState(): KeyringState {
    return {
      signingKid: this.signing,
      keys: this.keys.map((key) => ({
        kid: key.kid,
        use: key.jwk.use ?? null,
        alg: key.jwk.alg ?? null,
        publishKid: key.publishKid,
        privateJwk: key.privateKey.export({ format: 'jwk' }),
      })),
    };
  }

  async addKey(options: AddKeyOptions = {}): Promise<string> {
    const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
    const kid = newKid();
    this.keys.push(toHubKey(kid, privateKey, options));
    if (options.signing) this.signing = kid;
    return kid;
  }

  /** Unpublishes a key; if it was the signing key, the newest remaining RS256 sig key takes over. */
  remove(kid: string): boolean {
    const before = this.keys.length;
    this.keys = this.keys.filter((key) => key.kid !== kid);
    if (this.signing === kid) this.signing = this.fallbackSigner();
    return this.keys.length !== before;
  }

  has(kid: string | null | undefined): boolean {
    return this.keys.some((key) => key.kid === kid);
  }

  get kids(): string[] {
    return this.keys.map((key) => key.kid);
  }

  get signingKid(): string {
    if (this.signing === null) throw new Error('The stand-in hub has no signing key published');
    return this.signing;
  }

  get publishedKeys(): PublishedJwk[] {
    return this.keys.map((key) => ({ ...key.jwk }));
  }

  privateKeyOf(kid: string): KeyObject {
    return this.find(kid).privateKey;
  }

  publicJwkOf(kid: string): PublishedJwk {
    return { ...this.find(kid).jwk };
  }

  /** A compact RS256 JWS with hub defaults filled in (see withDefaults). */
  mint(claims: Partial<Claims> = {}, options: MintOptions = {}): string {
    const kid = options.kid ?? this.signingKid;
    const key = options.privateKey ?? this.privateKeyOf(kid);
    // As the real hub writes it: {"kid": …, "alg": "RS256"}, no typ.
    const header: Record<string, unknown> = {};
    if (options.includeKid ?? true) header.kid = kid;
    header.alg = 'RS256';
    Object.assign(header, options.header);
    const payload = withDefaults(claims, nowInSeconds());
    return signCompact(JSON.stringify(header), JSON.stringify(payload), key);
  }

  /** Signs the given JSON texts verbatim, e.g. with duplicate members or broken claims. */
  signRaw(headerJson: string, payloadJson: string, kid?: string): string {
    return signCompact(headerJson, payloadJson, this.privateKeyOf(kid ?? this.signingKid));
  }

  private find(kid: string): HubKey {
    const key = this.keys.find((candidate) => candidate.kid === kid);
    if (!key) throw new Error(`The stand-in hub has no published key "${kid}"`);
    return key;
  }

  private fallbackSigner(): string | null {
    const usable = this.keys.filter((key) => key.jwk.use === 'sig' && key.jwk.alg === 'RS256');
    return usable.at(-1)?.kid ?? null;
  }
}
