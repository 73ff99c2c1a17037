import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { REDIS_CONNECTION, RedisConnection } from '../redis';
import {
  FROM_CACHE,
  REVOCATION_STORE,
  RevocationStore,
  Verification,
  ZaikioAuthObserver,
  ZaikioHubService,
} from '../zaikio';

type HttpLabels = 'method' | 'route' | 'status';

/**
 * The application's Prometheus metrics, in a registry of its own (several app instances can run in
 * one process, as the tests do). Counters are updated as things happen; hub and revocation figures
 * are read when scraped.
 */
@Injectable()
export class MetricsService implements ZaikioAuthObserver {
  readonly registry = new Registry();
  private readonly requests: Counter<HttpLabels>;
  private readonly requestSeconds: Histogram<HttpLabels>;
  /** Counted in a plain Map on the request path and handed to prom-client only when scraped. */
  private readonly authOutcomes = new Map<string, number>();
  private cacheHits = 0;
  private readonly verificationSeconds: Histogram;
  private readonly rateLimitFailOpen: Counter;

  constructor(
    hub: ZaikioHubService,
    @Inject(REVOCATION_STORE) revocations: RevocationStore,
    @Inject(REDIS_CONNECTION) redis: RedisConnection | null,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const authOutcomes = this.authOutcomes;
    new Counter({
      name: 'zaikio_auth_outcomes_total',
      help: 'Authentication decisions on protected routes: ok or the error code',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        for (const [outcome, count] of authOutcomes) this.inc({ outcome }, count);
      },
    });
    const cacheHits = (): number => this.cacheHits;
    new Counter({
      name: 'zaikio_token_cache_hits_total',
      help: 'Tokens answered from the verified-token cache (expiry, revocation and key re-checked)',
      registers,
      collect() {
        this.reset();
        this.inc(cacheHits());
      },
    });
    this.verificationSeconds = new Histogram({
      name: 'zaikio_token_verification_seconds',
      help: 'Time from asking to the answer for access tokens verified in full (signature, claims, revocation; including the wait for the batch of new tokens it is verified with); cache hits are counted in zaikio_token_cache_hits_total',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 5],
      registers,
    });
    this.rateLimitFailOpen = new Counter({
      name: 'rate_limit_fail_open_total',
      help: 'Requests let through unlimited because the rate-limit store (Redis) was unreachable',
      registers,
    });
    const fetches = new Counter({
      name: 'zaikio_hub_fetches_total',
      help: 'Fetches of hub documents (keys, roles, revoked tokens) by result',
      labelNames: ['resource', 'result'],
      registers,
      collect() {
        this.reset();
        for (const status of hub.status()) {
          this.inc({ resource: status.name, result: 'ok' }, status.fetches - status.failures);
          this.inc({ resource: status.name, result: 'error' }, status.failures);
        }
      },
    });
    void fetches;
    new Gauge({
      name: 'zaikio_hub_keys_age_seconds',
      help: 'Age of the loaded hub signing keys (absent until keys were loaded)',
      registers,
      collect() {
        this.reset();
        const age = hub.keys.status().ageSeconds;
        if (age !== null) this.set(age);
      },
    });
    new Gauge({
      name: 'zaikio_hub_resource_loaded',
      help: '1 when the hub document was loaded at least once',
      labelNames: ['resource'],
      registers,
      collect() {
        for (const status of hub.status())
          this.set({ resource: status.name }, status.loaded ? 1 : 0);
      },
    });
    new Gauge({
      name: 'zaikio_revoked_tokens',
      help: 'Revoked token ids known to this instance',
      registers,
      collect() {
        this.set(revocations.size());
      },
    });
    if (redis) {
      new Gauge({
        name: 'redis_up',
        help: '1 when this instance is connected to Redis',
        registers,
        collect() {
          this.set(redis.ready ? 1 : 0);
        },
      });
    }
  }

  authenticated(outcome: string, verification: Verification): void {
    this.authOutcomes.set(outcome, (this.authOutcomes.get(outcome) ?? 0) + 1);
    if (verification === FROM_CACHE) this.cacheHits++;
    else if (verification !== null) this.verificationSeconds.observe(verification);
  }

  rateLimitFailedOpen(): void {
    this.rateLimitFailOpen.inc();
  }

  /** Express middleware counting every request once it finished, by its route pattern. */
  httpMiddleware(): (request: Request, response: Response, next: NextFunction) => void {
    return (request, response, next) => {
      const started = performance.now();
      response.once('finish', () => {
        const labels = {
          method: request.method,
          route: routeOf(request),
          status: String(response.statusCode),
        };
        this.requests.inc(labels);
        this.requestSeconds.observe(labels, (performance.now() - started) / 1000);
      });
      next();
    };
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** The matched route pattern (`/api/v1/items/:id`), never the raw path: labels must stay few. */
function routeOf(request: Request): string {
  const route = (request as { route?: { path?: unknown } }).route;
  if (typeof route?.path !== 'string') return 'unmatched';
  return `${request.baseUrl}${route.path}`;
}
