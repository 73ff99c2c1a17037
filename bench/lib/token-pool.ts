import { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface MintSpec {
  readonly privateKey: KeyObject;
  /** The kid named in the header; null mints kid-less tokens. */
  readonly kid: string | null;
  /**
   * Token i bears subs[i % subs.length]: pools spread over many subjects, so that the rate limit
   * (per subject, on as in production) never answers 429. Each token gets its own `jti`.
   */
  readonly subs: readonly string[];
  readonly scope: readonly string[];
  readonly aud: readonly string[];
}

// Plain JavaScript, so the worker needs no TypeScript loader. Same JWS as the stand-in hub's mint().
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, randomUUID, sign } = require('node:crypto');
const { pem, kid, subs, offset, scope, aud, count } = workerData;
const key = createPrivateKey(pem);
const header = Buffer.from(JSON.stringify(kid === null ? { alg: 'RS256', typ: 'JWT' } : { alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const tokens = new Array(count);
for (let i = 0; i < count; i++) {
  const sub = subs[(offset + i) % subs.length];
  const payload = { iss: 'ZAI', sub, aud, jti: randomUUID(), nbf: now - 5, exp: now + 3600, scope };
  const input = header + '.' + Buffer.from(JSON.stringify(payload)).toString('base64url');
  tokens[i] = input + '.' + sign('sha256', Buffer.from(input), key).toString('base64url');
}
parentPort.postMessage(tokens);
`;

/** Mints `count` distinct tokens (distinct jti) on every core; RS256 signing costs ~0.2 ms each. */
export async function mintTokens(spec: MintSpec, count: number): Promise<string[]> {
  const workers = Math.max(1, Math.min(availableParallelism(), Math.ceil(count / 500)));
  const pem = spec.privateKey.export({ type: 'pkcs8', format: 'pem' });
  const shares = Array.from(
    { length: workers },
    (_, index) => Math.floor(count / workers) + (index < count % workers ? 1 : 0),
  );
  const offsets = shares.map((_, index) => shares.slice(0, index).reduce((a, b) => a + b, 0));
  const parts = await Promise.all(
    shares.map(
      (share, index) =>
        new Promise<string[]>((resolve, reject) => {
          const worker = new Worker(WORKER_SOURCE, {
            eval: true,
            workerData: {
              pem,
              kid: spec.kid,
              subs: spec.subs,
              offset: offsets[index],
              scope: spec.scope,
              aud: spec.aud,
              count: share,
            },
          });
          worker.once('message', (tokens: string[]) => resolve(tokens));
          worker.once('error', reject);
        }),
    ),
  );
  return parts.flat();
}

/** Hands out tokens for the load generator: a warm pool cycles, a cold pool hands each out once. */
export class TokenSource {
  private index = 0;
  /** Requests that had to reuse a token because a cold pool ran out (must stay 0). */
  reused = 0;

  constructor(
    private readonly tokens: readonly string[],
    readonly mode: 'cycle' | 'once',
  ) {
    if (tokens.length === 0) throw new Error('empty token pool');
  }

  next(): string {
    const token = this.tokens[this.index % this.tokens.length];
    if (this.mode === 'once' && this.index >= this.tokens.length) this.reused += 1;
    this.index += 1;
    return token;
  }

  get handedOut(): number {
    return this.index;
  }

  get size(): number {
    return this.tokens.length;
  }
}
