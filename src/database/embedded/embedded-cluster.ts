import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '../pglite-loader';
import { copyEmptyCluster, holdsCluster } from '../pglite-template';

/**
 * PostgreSQL's default 128 MB of shared buffers suit a server with a machine of its own; embedded,
 * they become resident WASM memory (about 150 MB more RSS, measured in BENCHMARKS.md). 16 MB hold
 * this service's working set many times over; a deployment with more data uses PostgreSQL through
 * DATABASE_URL anyway.
 */
export const EMBEDDED_SHARED_BUFFERS = '16MB';
const embeddedStartParams = [
  ...PGlite.defaultStartParams,
  '-c',
  `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`,
];

/** Opens (first creating, from the empty-cluster template) the cluster in `<dataDir>/pglite`. */
export async function openEmbeddedCluster(dataDir: string): Promise<PGlite> {
  const directory = join(dataDir, 'pglite');
  mkdirSync(directory, { recursive: true });
  if (!holdsCluster(directory)) await copyEmptyCluster(directory);
  const pglite = new PGlite(directory, { startParams: embeddedStartParams });
  await pglite.waitReady;
  return pglite;
}
