import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from './pglite-loader';

/**
 * An empty, initialised PGlite data directory as a tarball. Initialising a new data directory
 * runs initdb (about 7 s on our machines); unpacking this template takes under 1 s. It is built
 * once per PGlite version and kept in the OS temp directory, so fresh data directories (first
 * start, every test) are cheap. It holds no data of ours: just an empty cluster.
 */
let template: Promise<Blob> | null = null;

export function emptyClusterTemplate(): Promise<Blob> {
  template ??= loadOrBuild().catch((error: unknown) => {
    template = null;
    throw error;
  });
  return template;
}

/** Whether a directory already holds a PostgreSQL cluster (then it is opened as it is). */
export function holdsCluster(directory: string): boolean {
  return existsSync(join(directory, 'PG_VERSION'));
}

async function loadOrBuild(): Promise<Blob> {
  const file = join(tmpdir(), `warehouse-pglite-template-${await pgliteVersion()}.tar.gz`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const pglite = new PGlite();
    // dumpDataDir before the instance is ready never settles.
    await pglite.waitReady;
    const dump = await pglite.dumpDataDir('gzip');
    await pglite.close();
    // Write then rename, so a concurrent reader never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  }
}

async function pgliteVersion(): Promise<string> {
  // The package does not export its package.json; its main file lives in dist/.
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return version;
}
