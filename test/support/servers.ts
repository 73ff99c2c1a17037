/**
 * Real PostgreSQL and Redis servers for the fleet tests. TEST_DATABASE_URL / TEST_REDIS_URL name
 * servers that are already running (CI starts them in .ci/run); otherwise private ones are started
 * from the installed binaries on free loopback ports, in temporary directories, and stopped again.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { eventually } from '../../src/testing/eventually';

export interface ServerPlan {
  readonly databaseUrl: string | null;
  readonly redisUrl: string | null;
  /** Binaries to start private servers when no URL is given; null when missing. */
  readonly postgresBin: string | null;
  readonly redisServer: string | null;
  /** Why the fleet tests cannot run here, or null when they can. */
  readonly missing: string | null;
}

function which(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres (Debian layout). */
function postgresBinDir(): string | null {
  const onPath = which('initdb');
  if (onPath && which('postgres')) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

/** Decided synchronously, so a spec can choose between running, failing and skipping. */
export function serverPlan(): ServerPlan {
  const databaseUrl = process.env.TEST_DATABASE_URL?.trim() || null;
  const redisUrl = process.env.TEST_REDIS_URL?.trim() || null;
  const postgresBin = postgresBinDir();
  const redisServer =
    which('redis-server') ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null);
  const problems: string[] = [];
  if (!databaseUrl && !postgresBin) {
    problems.push('no TEST_DATABASE_URL and no PostgreSQL binaries (apt-get install postgresql)');
  }
  // The Redis outage test always starts a private redis-server it can kill.
  if (!redisServer) problems.push('no redis-server binary (apt-get install redis-server)');
  return {
    databaseUrl,
    redisUrl,
    postgresBin,
    redisServer,
    missing: problems.length ? problems.join('; ') : null,
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until a server answers; a probe that throws (not listening yet) counts as not yet. */
function comesUp(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  return eventually(() => check().catch(() => false), timeoutMs, `${what} coming up`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Kills the server at once (SIGKILL): an outage, not a shutdown. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** A private redis-server on a free port, without persistence. */
export async function startRedis(binary: string, port?: number): Promise<RunningServer> {
  const chosen = port ?? (await freePort());
  const child = spawn(
    binary,
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${chosen}`;
  await comesUp(
    async () => {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    },
    10_000,
    'redis-server',
  );
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
  };
  return { url, port: chosen, kill, stop: kill };
}

/** A private PostgreSQL cluster (trust auth on loopback) in a temporary directory. */
export async function startPostgres(binDir: string): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'warehouse-pg-'));
  const port = await freePort();
  // initdb and postgres refuse to run as root: run them as the postgres user then.
  let user: { uid: number; gid: number } | object = {};
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    await chown(dir, uid, gid);
    user = { uid, gid };
  }
  const data = join(dir, 'data');
  execFileSync(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync'], {
    stdio: 'ignore',
    cwd: dir,
    ...user,
  });
  const child = spawn(
    join(binDir, 'postgres'),
    [
      ...['-D', data, '-p', String(port), '-k', dir],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    ],
    { stdio: 'ignore', cwd: dir, ...user },
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await comesUp(
    async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.end();
      return true;
    },
    20_000,
    'PostgreSQL',
  );
  const stopWith = (signal: NodeJS.Signals) => async () => {
    child.kill(signal);
    await exited(child);
    // After a SIGKILL the backends notice the postmaster's death a moment later and may still
    // write: rm retries on ENOTEMPTY.
    await rm(dir, { recursive: true, force: true, maxRetries: 10 });
  };
  // SIGINT: PostgreSQL's fast shutdown.
  return { url, port, kill: stopWith('SIGKILL'), stop: stopWith('SIGINT') };
}

/** A fresh, empty database on the server; drop() removes it (closing leftover sessions). */
export async function createDatabase(
  serverUrl: string,
  name: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A fresh database named `name` on TEST_DATABASE_URL's server, or on a private PostgreSQL started
 * for it (pushed to `owned`, for the caller to stop).
 */
export async function freshDatabase(
  plan: ServerPlan,
  name: string,
  owned: RunningServer[],
): Promise<{ url: string; drop(): Promise<void> }> {
  let serverUrl = plan.databaseUrl;
  if (serverUrl === null) {
    const postgres = await startPostgres(plan.postgresBin!);
    owned.push(postgres);
    serverUrl = postgres.url;
  }
  return createDatabase(serverUrl, name);
}
