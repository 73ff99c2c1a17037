import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { PGlite } from './pglite-loader';

/** Written last into a built template: every file with its size, to notice a damaged template. */
const MANIFEST = '.template-manifest.json';
type Manifest = Array<[path: string, size: number]>;

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
const templates = new Map<string, Promise<string>>();

/**
 * Puts a copy of the empty-cluster template at `directory` (absent or empty). Copied aside and
 * renamed into place, so a start-up killed halfway never leaves half a cluster behind.
 */
export async function copyEmptyCluster(
  directory: string,
  templateRoot: string = tmpdir(),
): Promise<void> {
  const copy = async (): Promise<void> => {
    const template = await emptyClusterTemplate(templateRoot);
    await buildAside(directory, (partial) =>
      cp(template, partial, { recursive: true, filter: (source) => basename(source) !== MANIFEST }),
    );
  };
  try {
    await copy();
  } catch {
    // Another process may have replaced a damaged template under our copy: look again, once.
    templates.delete(templateRoot);
    await copy();
  }
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

/** One lookup per process and root: later copies reuse the template found or built. */
function emptyClusterTemplate(root: string): Promise<string> {
  let template = templates.get(root);
  if (template === undefined) {
    template = findOrBuild(root).catch((error: unknown) => {
      templates.delete(root);
      throw error;
    });
    templates.set(root, template);
  }
  return template;
}

/** Whether a directory already holds a PostgreSQL cluster (then it is opened as it is). */
export function holdsCluster(directory: string): boolean {
  return existsSync(join(directory, 'PG_VERSION'));
}

/**
 * The template for this PGlite version, built when missing or damaged. It lives in the OS temp
 * directory, which cleaners prune file by file (macOS after three days unused, systemd-tmpfiles
 * where aging is configured): a template with a file gone would copy into clusters that fail to
 * open, so it is checked against its manifest and rebuilt.
 */
async function findOrBuild(root: string): Promise<string> {
  const directory = emptyClusterTemplatePath(root, await pgliteVersion());
  if (await templateIntact(directory)) return directory;
  // Damaged (or from before manifests): replace it. An absent one, the usual case, is just built.
  if (existsSync(directory)) await rm(directory, { recursive: true, force: true });
  try {
    // Built aside, so a concurrent process never sees half a cluster.
    await buildAside(directory, async (partial) => {
      const pglite = new PGlite(partial);
      await pglite.waitReady;
      await pglite.close();
      await writeFile(join(partial, MANIFEST), JSON.stringify(await filesWithSizes(partial)));
    });
  } catch (error) {
    // Another process may have won the race; its template is as good as ours.
    if (!(await templateIntact(directory))) throw error;
  }
  return directory;
}

/** Where the template for a PGlite version lives under `root` (the OS temp directory). */
export function emptyClusterTemplatePath(root: string, version: string): string {
  return join(root, `warehouse-pglite-template-${version}`);
}

async function templateIntact(directory: string): Promise<boolean> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(directory, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return false; // absent, from a version without manifests, or cut short
  }
  const sizes = await Promise.all(
    manifest.map(([path]) =>
      stat(join(directory, path)).then(
        (entry) => entry.size,
        () => -1,
      ),
    ),
  );
  return manifest.length > 0 && manifest.every(([, size], index) => sizes[index] === size);
}

async function filesWithSizes(root: string): Promise<Manifest> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  const manifest: Manifest = await Promise.all(
    files.map(async (entry) => {
      const path = join(entry.parentPath ?? entry.path, entry.name);
      return [relative(root, path), (await stat(path)).size] as [string, number];
    }),
  );
  return manifest.sort(([a], [b]) => a.localeCompare(b));
}

/** Forgets the templates found by this process, as a new process would (tests). */
export function forgetEmptyClusterTemplates(): void {
  templates.clear();
}

export async function pgliteVersion(): Promise<string> {
  // The package does not export its package.json; its main file lives in dist/.
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return version;
}
