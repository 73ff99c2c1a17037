/**
 * The embedded database's own process: PGlite (PostgreSQL compiled to WASM) served on a Unix
 * socket in the data directory. The app forks it (embedded-database.ts) and talks to it with pg,
 * exactly as it talks to PostgreSQL, so PGlite's memory and CPU never weigh on the API process.
 *
 * Usage: node embedded-database.main.js <dataDir>. Reports ready or failed over the IPC channel and
 * lives as long as that channel: when the app closes it, or dies, this process shuts down cleanly.
 */
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { openEmbeddedCluster } from './embedded-cluster';
import { EMBEDDED_SOCKET_NAME, EmbeddedReport } from './embedded-protocol';
import { PGliteWireServer } from './wire-server';

function report(message: EmbeddedReport): void {
  process.send?.(message);
}

/** Linux's limit for a Unix socket path (sun_path holds 108 bytes with the terminating NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

/** A socket file left by a killed instance is removed; one a live instance answers on is not. */
async function claimSocket(socketPath: string): Promise<void> {
  const bytes = Buffer.byteLength(socketPath);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw new Error(
      `the embedded database's socket path ${socketPath} is ${bytes} bytes, the limit is ` +
        `${MAX_SOCKET_PATH_BYTES}: choose a shorter DATA_DIR`,
    );
  }
  const live = await new Promise<boolean>((answer) => {
    const probe = connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      answer(true);
    });
    probe.once('error', () => answer(false));
  });
  if (live) {
    throw new Error(`${socketPath} is in use: another instance is running on this DATA_DIR`);
  }
  await rm(socketPath, { force: true });
}

/** Set once the database serves: how to shut it down cleanly. Until then there is nothing to close. */
let shutDown: (() => Promise<void>) | null = null;

function onDisconnect(): void {
  if (!shutDown) process.exit(0);
  shutDown().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`embedded database: closing failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

async function main(dataDir: string): Promise<void> {
  if (!process.send) throw new Error('start this through the app: it needs an IPC channel');
  // From the first moment: an app that dies (or stops) while this process is still starting must
  // not leave it behind.
  process.once('disconnect', onDisconnect);
  // Ctrl-C reaches the whole process group, and service managers may signal every process of
  // the service; the app drains its requests first and then closes the channel, which is when
  // this process stops.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);

  const socketPath = join(dataDir, EMBEDDED_SOCKET_NAME);
  await claimSocket(socketPath);
  const pglite = await openEmbeddedCluster(dataDir);
  const server = new PGliteWireServer(pglite);
  await server.listen(socketPath);
  shutDown = () => server.close().then(() => pglite.close());
  report({ type: 'ready' });
}

const dataDir = process.argv[2];
main(resolve(dataDir ?? '.')).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // The app reports the reason; without an app to tell, say it here.
  if (process.send) report({ type: 'failed', message });
  else process.stderr.write(`embedded database: ${message}\n`);
  process.exitCode = 1;
  process.disconnect?.();
});
