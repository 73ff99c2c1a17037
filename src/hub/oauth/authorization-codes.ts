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

/** Codes live only in memory: a restart invalidates pending sign-ins, nothing else. */
export class AuthorizationCodes {
  private readonly codes = new Map<string, PendingCode>();

  issue(pending: PendingCode): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, pending);
    return code;
  }

  /** Removes the code on any attempt: a second exchange of the same code always fails. */
  take(code: string, nowMs: number): PendingCode | 'expired' | undefined {
    const pending = this.codes.get(code);
    this.codes.delete(code);
    for (const [other, entry] of this.codes) if (entry.expiresAt <= nowMs) this.codes.delete(other);
    if (pending === undefined) return undefined;
    return pending.expiresAt <= nowMs ? 'expired' : pending;
  }
}
