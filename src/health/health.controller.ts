import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { Kysely, sql } from 'kysely';
import { DATABASE } from '../database/database.module';
import { OutboxMonitor } from '../events';
import { REDIS_CONNECTION, RedisConnection } from '../redis';
import { REVOCATION_STORE, RevocationStore, ZaikioHubService, Public } from '../zaikio';
import { LIVENESS_SCHEMA, NOT_READY_SCHEMA, READINESS_SCHEMA } from './health-schemas';

/** Older than the hub's one-hour cache limit: reported, but the keys still authenticate. */
const KEYS_STALE_AFTER_SECONDS = 3600;
const DATABASE_TIMEOUT_MS = 2_000;

/**
 * Liveness (`/health/live`: the process answers) and readiness (`/health`): the database answers
 * and the hub's keys were loaded at least once. Redis is reported but does not make an instance
 * unready: without it the server keeps authenticating from what it last knew, and taking every
 * instance out of the load balancer because Redis blinked would turn a degradation into an outage.
 * A stale outbox (Loom unreachable for a while) is likewise degraded, not unready: the API still
 * serves, and the events wait safely in the database.
 */
@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly hub: ZaikioHubService,
    @Inject(DATABASE) private readonly db: Kysely<unknown>,
    @Inject(REVOCATION_STORE) private readonly revocations: RevocationStore,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
    private readonly outbox: OutboxMonitor,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Ready', schema: READINESS_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: the database does not answer or the hub keys never loaded',
    schema: NOT_READY_SCHEMA,
  })
  async check() {
    let result: HealthCheckResult;
    let ready = true;
    try {
      result = await this.health.check([() => this.database(), () => this.keys()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      ready = false;
    }
    const [redis, outbox] = await Promise.all([this.redisStatus(), this.outbox.health()]);
    const [keys, roles, revoked] = this.hub.status();
    const body = {
      ...result,
      status: ready ? 'ok' : 'unavailable',
      degraded: [
        ...(redis?.status === 'down' ? ['redis'] : []),
        ...(outbox.status === 'stale' ? ['outbox'] : []),
      ],
      redis: redis ?? { status: 'not_configured' },
      outbox,
      revocations: { known: this.revocations.size() },
      hub: {
        keys: { loaded: keys.loaded, age_seconds: keys.ageSeconds, last_error: keys.lastError },
        roles: { loaded: roles.loaded, age_seconds: roles.ageSeconds, last_error: roles.lastError },
        revoked_access_tokens: {
          loaded: revoked.loaded,
          age_seconds: revoked.ageSeconds,
          last_error: revoked.lastError,
        },
      },
    };
    if (!ready) throw new ServiceUnavailableException({ errors: ['not_ready', body] });
    return body;
  }

  @Get('live')
  @ApiOkResponse({ description: 'The process answers', schema: LIVENESS_SCHEMA })
  live() {
    return { status: 'ok' };
  }

  private async database(): Promise<HealthIndicatorResult<'database'>> {
    const indicator = this.indicators.check('database');
    const started = performance.now();
    try {
      await withTimeout(sql`select 1`.execute(this.db), DATABASE_TIMEOUT_MS);
      return indicator.up({ latency_ms: Math.round(performance.now() - started) });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  private keys(): HealthIndicatorResult<'hub_keys'> {
    const indicator = this.indicators.check('hub_keys');
    const status = this.hub.keys.status();
    const data = {
      age_seconds: status.ageSeconds,
      stale: status.ageSeconds !== null && status.ageSeconds > KEYS_STALE_AFTER_SECONDS,
      last_error: status.lastError,
    };
    return status.loaded
      ? indicator.up(data)
      : indicator.down({ ...data, message: 'never loaded' });
  }

  private async redisStatus(): Promise<Record<string, unknown> | null> {
    if (!this.redis) return null;
    const status = this.redis.status();
    try {
      await this.redis.ping();
      return { status: 'up', state: status.state };
    } catch (error) {
      return {
        status: 'down',
        state: status.state,
        down_for_seconds: status.downSinceSeconds,
        last_error: status.lastError ?? (error instanceof Error ? error.message : String(error)),
        effect: 'revocations served from the local mirror; rate limiting open',
      };
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
