// Covers telling "the database cannot be reached" apart from "this query failed", on real errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { isDatabaseUnreachable, isUniqueViolation } from './database-errors';
import { PGlite } from './pglite-loader';

/** The error a fresh pg client fails with. */
async function connectError(config: ConstructorParameters<typeof Client>[0]): Promise<unknown> {
  const client = new Client(config);
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('isDatabaseUnreachable', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'db-errors-'));
  });

  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('recognises a Unix socket that is not there (the embedded database restarting)', async () => {
    const error = await connectError({ host: directory, port: 5432 });
    expect(error).toMatchObject({ code: 'ENOENT' });
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it('recognises a refused TCP connection', async () => {
    const error = await connectError({ host: '127.0.0.1', port: 1 });
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it('recognises a server that drops the connection', async () => {
    const dropping: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    const { port } = dropping.address() as { port: number };
    try {
      const error = await connectError({ host: '127.0.0.1', port });
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseUnreachable(error)).toBe(true);
    } finally {
      await new Promise((resolve) => dropping.close(resolve));
    }
  });

  it('does not mistake errors of the query itself for an outage', async () => {
    const pglite = new PGlite();
    try {
      await pglite.exec('create table t (name text unique); insert into t values ($$a$$)');
      const duplicate = await pglite.query("insert into t values ('a')").catch((e: unknown) => e);
      const syntax = await pglite.query('selec 1').catch((e: unknown) => e);
      expect(isUniqueViolation(duplicate)).toBe(true);
      expect(isDatabaseUnreachable(duplicate)).toBe(false);
      expect(isDatabaseUnreachable(syntax)).toBe(false);
      expect(isDatabaseUnreachable(new Error('ENOENT: no such file'))).toBe(false);
      expect(isDatabaseUnreachable(null)).toBe(false);
    } finally {
      await pglite.close();
    }
  });
});
