import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { Public, ZaikioHubService } from '../zaikio';

/** Readiness: the server can authenticate once the hub's keys were loaded at least once. */
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly hub: ZaikioHubService) {}

  @Get()
  check() {
    const [keys, roles, revoked] = this.hub.status();
    const body = {
      status: keys.loaded ? 'ok' : 'unavailable',
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
    if (!keys.loaded) throw new ServiceUnavailableException({ errors: ['not_ready', body] });
    return body;
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
