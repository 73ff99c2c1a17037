import { randomBytes } from 'node:crypto';
import { TokenSubject } from './directory';

/** An authorization code is good for one exchange within 10 minutes (RFC 6749 §4.1.2). */
export const CODE_SECONDS = 600;

export interface PkceChallenge {
  readonly value: string;
  readonly method: 'S256' | 'plain';
}

export interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  /** Whether the authorization request named the redirect URI (then the exchange must too). */
  readonly redirectUriGiven: boolean;
  readonly challenge: PkceChallenge | null;
  readonly subject: TokenSubject;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

/**
 * Short-lived values behind unguessable random keys, kept only in memory: a restart invalidates
 * pending sign-ins, nothing else. Expired entries are dropped whenever a key is looked up.
 */
export class OneTimeKeys<T extends { readonly expiresAt: number }> {
  private readonly entries = new Map<string, T>();

  issue(value: T): string {
    const key = randomBytes(24).toString('base64url');
    this.entries.set(key, value);
    return key;
  }

  /** The value, unless it is unknown or expired; it stays until taken. */
  peek(key: string, nowMs: number): T | undefined {
    for (const [other, entry] of this.entries)
      if (entry.expiresAt <= nowMs) this.entries.delete(other);
    return this.entries.get(key);
  }

  /** Removes the key on any attempt: a second use of the same key always fails. */
  take(key: string, nowMs: number): T | 'expired' | undefined {
    const value = this.entries.get(key);
    this.entries.delete(key);
    this.peek(key, nowMs);
    if (value === undefined) return undefined;
    return value.expiresAt <= nowMs ? 'expired' : value;
  }
}

export class AuthorizationCodes extends OneTimeKeys<PendingCode> {}

/**
 * The access tokens each authorization code led to, its refreshes included, by the code's hash:
 * a reused code revokes them (RFC 6749 §4.1.2). In memory, like the codes themselves.
 */
export class TokenFamilies {
  private readonly families = new Map<string, { jti: string; expiresAt: number }[]>();

  add(family: string, jti: string, expiresAt: number): void {
    const tokens = this.families.get(family) ?? [];
    tokens.push({ jti, expiresAt });
    this.families.set(family, tokens);
  }

  /** The family's token ids that have not expired yet; the family is forgotten. */
  take(family: string, nowMs: number): string[] {
    const tokens = this.families.get(family) ?? [];
    this.families.delete(family);
    return tokens.filter((token) => token.expiresAt > nowMs).map((token) => token.jti);
  }
}
