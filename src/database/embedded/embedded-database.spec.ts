// Covers the embedded database's own process: start, queries over its socket, supervision, stop.
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { eventually } from '../../testing/eventually';
import { embeddedDatabasePids } from '../testing/embedded-processes';
import { EmbeddedDatabase } from './embedded-database';

// Every test forks a process that boots PostgreSQL in WASM.
jest.setTimeout(60_000);

const quietLogger = new Logger('test');
jest.spyOn(quietLogger, 'log').mockImplementation(() => undefined);
jest.spyOn(quietLogger, 'error').mockImplementation(() => undefined);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs one statement on a fresh connection, as the app's pool would after a restart. */
async function query<R>(database: EmbeddedDatabase, text: string): Promise<R[]> {
  const client = new Client(database.poolConfig);
  await client.connect();
  try {
    return (await client.query(text)).rows as R[];
  } finally {
    await client.end();
  }
}

describe('EmbeddedDatabase', () => {
  let dataDir: string;
  const started: EmbeddedDatabase[] = [];

  async function start(directory = dataDir): Promise<EmbeddedDatabase> {
    const database = await EmbeddedDatabase.start(directory, quietLogger);
    started.push(database);
    return database;
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-'));
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((database) => database.stop()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs PostgreSQL in a process of its own, reachable on the socket in the data directory', async () => {
    const database = await start();
    expect(database.pid).not.toBe(process.pid);
    expect(await query(database, 'select current_user as name')).toEqual([{ name: 'postgres' }]);
  });

  it('ends its process on stop', async () => {
    const database = await start();
    const pid = database.pid ?? -1;
    await database.stop();
    expect(isAlive(pid)).toBe(false);
  });

  it('starts the process again when it dies, with the data intact', async () => {
    const database = await start();
    await query(database, 'create table notes (body text)');
    await query(database, "insert into notes values ('still here')");
    const first = database.pid ?? -1;

    process.kill(first, 'SIGKILL');
    await eventually(
      () => database.pid !== null && database.pid !== first,
      20_000,
      'a new process',
    );
    await eventually(() => isAlive(database.pid ?? -1), 20_000, 'the new process');
    // The new process answers once it has opened the cluster.
    let rows: unknown = null;
    const answered = async (): Promise<boolean> => {
      rows = await query(database, 'select body from notes').catch(() => null);
      return rows !== null;
    };
    await eventually(answered, 20_000, 'an answer from the new process');
    expect(rows).toEqual([{ body: 'still here' }]);
  });

  it('refuses a second instance on the same data directory, naming the cause', async () => {
    await start();
    await expect(EmbeddedDatabase.start(dataDir, quietLogger)).rejects.toThrow(
      /in use: another instance is running on this DATA_DIR/,
    );
  });

  it('fails start-up clearly when the data directory path is too long for a socket', async () => {
    const deep = join(dataDir, 'x'.repeat(120));
    await expect(EmbeddedDatabase.start(deep, quietLogger)).rejects.toThrow(
      /socket path .* choose a shorter DATA_DIR/,
    );
  });

  /** A stand-in app process that starts the database here and prints its pid once it is ready. */
  function anAppProcess(): ChildProcessWithoutNullStreams {
    const script = [
      "const { Logger } = require('@nestjs/common');",
      `const { EmbeddedDatabase } = require(${JSON.stringify(require.resolve('./embedded-database'))});`,
      `EmbeddedDatabase.start(${JSON.stringify(dataDir)}, new Logger('x')).then((db) => console.log(db.pid));`,
    ].join('\n');
    return spawn(process.execPath, ['-r', '@swc-node/register', '-e', script]);
  }

  it('ends its process when the app process dies without stopping it', async () => {
    const app = anAppProcess();
    const pid = await new Promise<number>((resolve) =>
      app.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))),
    );
    expect(isAlive(pid)).toBe(true);

    app.kill('SIGKILL');
    await eventually(() => !isAlive(pid), 20_000, 'the embedded database process to end');
  });

  it('ends its process when the app dies while the database is still starting', async () => {
    const app = anAppProcess();
    await eventually(
      () => embeddedDatabasePids(dataDir).length > 0,
      20_000,
      'the embedded database process to start',
    );
    app.kill('SIGKILL');
    await eventually(
      () => embeddedDatabasePids(dataDir).length === 0,
      20_000,
      'the starting process to end',
    );
  });
});
