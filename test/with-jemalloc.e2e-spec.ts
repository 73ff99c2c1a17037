// `npm run start:prod` runs node under bin/with-jemalloc, which preloads jemalloc where the machine
// has it (CI installs libjemalloc2 in .ci/run): glibc's main heap kept stepped-up memory under load
// (BENCHMARKS.md, fourth round). These specs run the launcher for real, with the real server.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { memoryAllocator } from '../src/common/memory-allocator';
import { embeddedDatabasePids } from '../src/database/testing';
import { StandInHub } from '../src/hub';
import { startHub } from './support/hub-fixture';
import { killServersAndRemove, SpawnedServer, spawnServer } from './support/server-process';

jest.setTimeout(60_000);

const LAUNCHER = join(__dirname, '..', 'bin', 'with-jemalloc');

interface Probe {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What node reports about itself when started through the launcher with `env`. */
async function probe(env: NodeJS.ProcessEnv): Promise<Probe> {
  const script = [
    "const { readFileSync, readdirSync } = require('node:fs');",
    "const threads = readdirSync('/proc/self/task').map((task) =>",
    "  readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim());",
    'setTimeout(() => console.log(JSON.stringify({',
    "  jemalloc: readFileSync('/proc/self/maps', 'utf8').includes('libjemalloc'),",
    "  backgroundThread: threads.includes('jemalloc_bg_thd'),",
    '  mallocConf: process.env.MALLOC_CONF ?? null,',
    '})), 200);',
  ].join('\n');
  // The launcher's own settings come only from `env`, never from the shell that runs jest.
  const inherited = { ...process.env };
  for (const name of ['MEMORY_ALLOCATOR', 'JEMALLOC_LIBRARY', 'MALLOC_CONF', 'LD_PRELOAD']) {
    delete inherited[name];
  }
  try {
    const { stdout, stderr } = await promisify(execFile)(
      LAUNCHER,
      [process.execPath, '-e', script],
      { env: { ...inherited, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const report = (result: Probe): Record<string, unknown> => JSON.parse(result.stdout) as never;

describe('bin/with-jemalloc (e2e)', () => {
  describe('npm run start:prod', () => {
    let hub: StandInHub;
    let server: SpawnedServer;
    let dataDir: string;

    beforeAll(async () => {
      hub = await startHub();
      dataDir = await mkdtemp(join(tmpdir(), 'warehouse-jemalloc-'));
      server = await spawnServer({
        launcher: [LAUNCHER],
        args: ['src/main.ts'],
        env: { ZAIKIO_ENV: 'test', ZAIKIO_HUB_URL: hub.url, PORT: '0', DATA_DIR: dataDir },
        listening: /Listening on http:\/\/[^:/]+:(\d+)[\s\S]*Memory allocator: /,
      });
    });

    afterAll(async () => {
      await killServersAndRemove(server ? [server] : [], dataDir);
      await hub?.stop();
    });

    it('serves on jemalloc and says so at start-up', async () => {
      expect(server.output()).toMatch(/Memory allocator: jemalloc \(\/\S+libjemalloc\.so\.2\)/);
      expect(memoryAllocator(server.process.pid ?? -1)).toMatch(/^jemalloc/);
      const health = await fetch(`${server.url}/health/live`);
      expect(health.status).toBe(200);
    });

    it('runs the embedded database process on jemalloc too', () => {
      const [database] = embeddedDatabasePids(dataDir);
      expect(database).toBeDefined();
      expect(memoryAllocator(database)).toMatch(/^jemalloc/);
    });
  });

  it('sets jemalloc up to hand memory back from a background thread', async () => {
    const result = await probe({});
    expect(result.stderr).toBe('');
    expect(report(result)).toEqual({
      jemalloc: true,
      backgroundThread: true,
      mallocConf: 'background_thread:true,dirty_decay_ms:2000,muzzy_decay_ms:0',
    });
  });

  it("keeps the operator's own MALLOC_CONF", async () => {
    const result = await probe({ MALLOC_CONF: 'background_thread:false' });
    expect(report(result)).toEqual({
      jemalloc: true,
      backgroundThread: false,
      mallocConf: 'background_thread:false',
    });
  });

  it("MEMORY_ALLOCATOR=system runs on the system's malloc, silently", async () => {
    const result = await probe({ MEMORY_ALLOCATOR: 'system' });
    expect(result.stderr).toBe('');
    expect(report(result)).toMatchObject({ jemalloc: false, mallocConf: null });
  });

  it("falls back to the system's malloc with a warning when the library is missing", async () => {
    const result = await probe({ JEMALLOC_LIBRARY: '/nonexistent/libjemalloc.so.2' });
    expect(result.code).toBe(0);
    expect(report(result)).toMatchObject({ jemalloc: false });
    expect(result.stderr).toMatch(/JEMALLOC_LIBRARY names \/nonexistent\/libjemalloc\.so\.2/);
    expect(result.stderr).toMatch(/MEMORY_ALLOCATOR=system silences this/);
  });

  it('MEMORY_ALLOCATOR=jemalloc refuses to start without the library', async () => {
    const result = await probe({
      MEMORY_ALLOCATOR: 'jemalloc',
      JEMALLOC_LIBRARY: '/nonexistent/libjemalloc.so.2',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^MEMORY_ALLOCATOR=jemalloc: JEMALLOC_LIBRARY names/);
  });

  it('names the variable when MEMORY_ALLOCATOR has an unknown value', async () => {
    const result = await probe({ MEMORY_ALLOCATOR: 'tcmalloc' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'MEMORY_ALLOCATOR must be auto, jemalloc or system (got "tcmalloc")\n',
    );
  });
});
