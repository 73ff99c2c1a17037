// Covers the embedded database's wire server: PGlite served to pg clients over a Unix socket.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PGlite } from '../pglite-loader';
import { PGliteWireServer } from './wire-server';

describe('PGliteWireServer', () => {
  let directory: string;
  let pglite: PGlite;
  let server: PGliteWireServer;
  const clients: Client[] = [];

  /** A connected pg client of the server (closed after each test). */
  async function aClient(): Promise<Client> {
    const client = new Client({ host: directory, port: 5432, user: 'postgres' });
    clients.push(client);
    await client.connect();
    return client;
  }

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'wire-'));
    pglite = new PGlite();
    server = new PGliteWireServer(pglite);
    await server.listen(join(directory, '.s.PGSQL.5432'));
    await pglite.exec('create table things (id serial primary key, name text unique)');
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
    await server.close();
    await pglite.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('answers queries with parameters, typed values and PostgreSQL errors', async () => {
    const client = await aClient();
    const { rows } = await client.query('select $1::int + 1 as n, $2::jsonb as doc', [
      41,
      '{"a":1}',
    ]);
    expect(rows).toEqual([{ n: 42, doc: { a: 1 } }]);

    await client.query("insert into things (name) values ('bolt')");
    const error = await client
      .query("insert into things (name) values ('bolt')")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505', constraint: 'things_name_key' });
    // The session goes on after an error.
    expect((await client.query('select count(*)::int as n from things')).rows).toEqual([{ n: 1 }]);
  });

  it('serves one client at a time: the next one waits until the first leaves', async () => {
    const first = await aClient();
    await first.query('begin');
    await first.query("insert into things (name) values ('pending')");

    const second = new Client({ host: directory, port: 5432, user: 'postgres' });
    clients.push(second);
    let secondSaw: unknown = 'nothing yet';
    const secondRead = second
      .connect()
      .then(() => second.query('select name from things'))
      .then((result) => {
        secondSaw = result.rows as unknown;
      });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(secondSaw).toBe('nothing yet');

    await first.query('commit');
    await first.end();
    await secondRead;
    expect(secondSaw).toEqual([{ name: 'pending' }]);
  });

  it('rolls back what a departed client left open and resets its session settings', async () => {
    const leaving = await aClient();
    await leaving.query("set application_name = 'leaving'");
    await leaving.query('begin');
    await leaving.query("insert into things (name) values ('uncommitted')");
    await leaving.end();

    const next = await aClient();
    expect((await next.query('select name from things')).rows).toEqual([]);
    const { rows } = await next.query('show application_name');
    expect(rows).not.toEqual([{ application_name: 'leaving' }]);
  });

  it('declines encryption with "N", as PostgreSQL does for a client that asks', async () => {
    const sslRequest = Buffer.alloc(8);
    sslRequest.writeInt32BE(8, 0);
    sslRequest.writeInt32BE(80877103, 4);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(join(directory, '.s.PGSQL.5432'), () => socket.write(sslRequest));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString());
      });
      socket.once('error', reject);
    });
    expect(answer).toBe('N');
  });

  it('drops a client whose bytes are not the protocol, and serves the next one', async () => {
    const garbage = Buffer.alloc(8);
    garbage.writeInt32BE(2, 0); // a length shorter than the length field itself
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(join(directory, '.s.PGSQL.5432'), () => socket.write(garbage));
      socket.once('close', () => resolve(true));
      socket.once('error', () => undefined);
    });
    expect(closed).toBe(true);

    const next = await aClient();
    expect((await next.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('keeps the database running when a client terminates its connection', async () => {
    const client = await aClient();
    await client.query("insert into things (name) values ('kept')");
    await client.end(); // sends Terminate

    const next = await aClient();
    expect((await next.query('select name from things')).rows).toEqual([{ name: 'kept' }]);
  });
});
