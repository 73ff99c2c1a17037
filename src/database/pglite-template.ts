import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from './pglite-loader';

/**
 * An empty, initialised PGlite cluster directory. Initialising a new data directory runs initdb
 * (several seconds); copying this template takes a fraction of a second. It is built once per PGlite
 * version and kept in the OS temp directory, so fresh data directories (first start, every test)
 * are cheap. It holds no data of ours: just an empty cluster.
 *
 * The copy is plain files: PGlite then opens it like any existing cluster. (PGlite's own
 * `loadDataDir` unpacks a tarball inside its WASM memory instead, which stays allocated: about
 * 80 MB more resident memory for the life of the process.)
 */
let template: Promise<string> | null = null;

/**
 * Puts a copy of the empty-cluster template at `directory` (absent or empty). Copied aside and
 * renamed into place, so a start-up killed halfway never leaves half a cluster behind.
 */
export async function copyEmptyCluster(directory: string): Promise<void> {
  const template = await emptyClusterTemplate();
  await buildAside(directory, (partial) => cp(template, partial, { recursive: true }));
}

/** Fills a new sibling of `directory`, then renames it into place (replacing an empty directory). */
async function buildAside(
  directory: string,
  fill: (partial: string) => Promise<void>,
): Promise<void> {
  const partial = await mkdtemp(`${directory}.partial-`);
  try {
    await fill(partial);
    await rename(partial, directory);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

function emptyClusterTemplate(): Promise<string> {
  template ??= findOrBuild().catch((error: unknown) => {
    template = null;
    throw error;
  });
  return template;
}

/** Whether a directory already holds a PostgreSQL cluster (then it is opened as it is). */
export function holdsCluster(directory: string): boolean {
  return existsSync(join(directory, 'PG_VERSION'));
}

async function findOrBuild(): Promise<string> {
  const directory = join(tmpdir(), `warehouse-pglite-template-${await pgliteVersion()}`);
  if (holdsCluster(directory)) return directory;
  try {
    // Built aside, so a concurrent process never sees half a cluster.
    await buildAside(directory, async (partial) => {
      const pglite = new PGlite(partial);
      await pglite.waitReady;
      await pglite.close();
    });
  } catch (error) {
    // Another process may have won the race; its template is as good as ours.
    if (!holdsCluster(directory)) throw error;
  }
  return directory;
}

async function pgliteVersion(): Promise<string> {
  // The package does not export its package.json; its main file lives in dist/.
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return version;
}
