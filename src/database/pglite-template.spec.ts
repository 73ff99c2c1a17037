// The empty-cluster template in the OS temp directory: copied without its manifest, and rebuilt
// when a temp cleaner took a file from it (a damaged template would copy into broken clusters).
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from './pglite-loader';
import {
  copyEmptyCluster,
  emptyClusterTemplatePath,
  forgetEmptyClusterTemplates,
  holdsCluster,
  pgliteVersion,
} from './pglite-template';

describe('empty-cluster template', () => {
  // A template of our own under `scratch`, never the one other specs share in the temp directory.
  let scratch: string;
  let template: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'template-spec-'));
    template = emptyClusterTemplatePath(scratch, await pgliteVersion());
  });

  afterAll(async () => {
    forgetEmptyClusterTemplates();
    await rm(scratch, { recursive: true, force: true });
  });

  async function opensAndAnswers(directory: string): Promise<void> {
    const pglite = new PGlite(directory);
    try {
      const { rows } = await pglite.query<{ answer: number }>('select 1 as answer');
      expect(rows).toEqual([{ answer: 1 }]);
    } finally {
      await pglite.close();
    }
  }

  it('copies an empty cluster that opens, without the template manifest', async () => {
    const directory = join(scratch, 'first');
    await copyEmptyCluster(directory, scratch);
    expect(existsSync(join(template, '.template-manifest.json'))).toBe(true);
    expect(holdsCluster(directory)).toBe(true);
    expect(await readdir(directory)).not.toContain('.template-manifest.json');
    await opensAndAnswers(directory);
  }, 60_000);

  it('rebuilds a template that lost a file, so new clusters still open', async () => {
    const damaged = join(template, 'global', 'pg_control');
    await unlink(damaged);
    forgetEmptyClusterTemplates(); // as a new process would find it
    const directory = join(scratch, 'second');
    await copyEmptyCluster(directory, scratch);
    expect(existsSync(damaged)).toBe(true);
    expect(existsSync(join(directory, 'global', 'pg_control'))).toBe(true);
    await opensAndAnswers(directory);
  }, 60_000);
});
