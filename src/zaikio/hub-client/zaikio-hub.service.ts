import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HubKeyStore } from '../keys/hub-key-store';
import { HubResource, HubResourceStatus } from './hub-resource';
import { parseRoleList } from '../roles/role-list';
import { parseRevokedList } from '../revocation/revoked-list';
import { REVOCATION_STORE, RevocationStore } from '../revocation/revocation-store';
import { ZAIKIO_AUTH_OPTIONS, ZaikioAuthOptions, withDefaults } from '../zaikio-auth.options';

/**
 * Everything the server reads from the hub: signing keys, the role list and revoked token ids.
 * All three load at start-up (a failing hub does not stop the server) and refresh in the background.
 */
@Injectable()
export class ZaikioHubService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly keys: HubKeyStore;
  readonly roles: HubResource<readonly string[]>;
  readonly revoked: HubResource<readonly string[]>;

  constructor(
    @Inject(ZAIKIO_AUTH_OPTIONS) rawOptions: ZaikioAuthOptions,
    @Inject(REVOCATION_STORE) revocations: RevocationStore,
  ) {
    const options = withDefaults(rawOptions);
    const fetching = {
      timeoutMs: options.hubTimeoutMs,
      maxBytes: options.hubMaxResponseBytes,
      retryMinMs: options.retryMinMs,
      retryMaxMs: options.retryMaxMs,
    };
    this.keys = new HubKeyStore({
      ...fetching,
      url: `${options.hubUrl}/api/v1/jwt_public_keys`,
      refreshIntervalMs: options.keyRefreshIntervalMs,
      minFetchIntervalMs: options.keyFetchMinIntervalMs,
    });
    this.roles = new HubResource({
      ...fetching,
      name: 'roles',
      url: `${options.hubUrl}/api/v1/roles`,
      parse: parseRoleList,
      refreshIntervalMs: options.rolesRefreshIntervalMs,
    });
    this.revoked = new HubResource({
      ...fetching,
      name: 'revoked_access_tokens',
      url: `${options.hubUrl}/api/v1/revoked_access_tokens`,
      parse: parseRevokedList,
      refreshIntervalMs: options.revocationRefreshIntervalMs,
      // The hub's list only adds to what we know: webhook revocations are never forgotten.
      onLoaded: (ids) => void revocations.revoke(ids),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all([this.keys.start(), this.roles.start(), this.revoked.start()]);
  }

  onApplicationShutdown(): void {
    this.keys.stop();
    this.roles.stop();
    this.revoked.stop();
  }

  status(): HubResourceStatus[] {
    return [this.keys.status(), this.roles.status(), this.revoked.status()];
  }
}
