import { StandInHub, StandInHubOptions } from '../../src/hub/stand-in-hub';

/** Starts a stand-in hub on a free 127.0.0.1 port; the caller stops it (afterAll/afterEach). */
export function startHub(options?: StandInHubOptions): Promise<StandInHub> {
  return StandInHub.start(options);
}
