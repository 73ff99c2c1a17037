import autocannon from 'autocannon';
import { TokenSource } from './token-pool';

export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly seconds: number;
  readonly connections: number;
  /** Every request carries `Authorization: Bearer <next token>`, public routes included. */
  readonly tokens: TokenSource;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: Record<string, number>;
}

/**
 * One bounded autocannon run on loopback. Each request is built by setupRequest with the next
 * token, for every scenario alike, so the load generator does the same work whatever is measured.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { tokens } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        path: options.path,
        setupRequest: (request) => ({
          ...request,
          headers: { authorization: `Bearer ${tokens.next()}` },
        }),
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = stats.count ?? 0;
  }
  return {
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
  };
}
