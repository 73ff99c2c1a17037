import { transformFile } from '@swc/core';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** Inside node_modules, so the compiled files resolve packages like the sources do (and git ignores it). */
export const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'warehouse-bench');

async function sources(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return sources(path);
      const wanted = entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts');
      return Promise.resolve(wanted ? [path] : []);
    }),
  );
  return nested.flat();
}

/**
 * Compiles src/ and bench/ to plain CommonJS (the repo's .swcrc, without source maps), so the
 * server children run like `node dist/main.js`: no transpiler loaded, nothing inflating their RSS.
 * Returns the compiled path of the server entry.
 */
export async function buildServer(): Promise<string> {
  await rm(BUILD_DIR, { recursive: true, force: true });
  const files = [...(await sources(join(ROOT, 'src'))), ...(await sources(join(ROOT, 'bench')))];
  await Promise.all(
    files.map(async (file) => {
      const { code } = await transformFile(file, {
        swcrc: true,
        cwd: ROOT,
        sourceMaps: false,
        inlineSourcesContent: false,
      });
      const target = join(BUILD_DIR, relative(ROOT, file)).replace(/\.ts$/, '.js');
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, code);
    }),
  );
  return join(BUILD_DIR, 'bench', 'server', 'server-main.js');
}

/** The words of `npm run start:prod` (package.json). */
function productionCommand(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return manifest.scripts['start:prod'].split(/\s+/);
}

/**
 * The node flags of `npm run start:prod`, so that the bench servers run the way production does;
 * the baselines get them too, so the comparison stays fair.
 */
export function productionNodeFlags(): string[] {
  return productionCommand().filter((word) => word.startsWith('--'));
}

/**
 * What `npm run start:prod` runs node under (bin/with-jemalloc, which preloads jemalloc), as an
 * absolute path with its arguments: the bench servers get the same allocator as production.
 */
export function productionWrapper(): string[] {
  const words = productionCommand();
  const wrapper = words.slice(0, Math.max(0, words.indexOf('node')));
  return wrapper.map((word, index) => (index === 0 ? join(ROOT, word) : word));
}
