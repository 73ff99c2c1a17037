import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { FromServer, ToServer } from './ipc';

/** What serving needs of an app: a Nest application has it, and so has the bare items twin. */
export interface ServableApp {
  listen(port: number, host: string): Promise<unknown>;
  getHttpServer(): unknown;
  close(): Promise<void>;
}

export interface ServedApp {
  readonly app: ServableApp;
  /** Runs after the app closed, before the process exits (e.g. removing its data directory). */
  readonly cleanup: () => Promise<void>;
}

function send(message: FromServer): void {
  process.send?.(message);
}

/**
 * The child side of ServerProcess (bench/lib/server-process.ts): starts the app on a loopback
 * port, reports it, answers memory requests (after a full GC when asked and run with
 * --expose-gc) and stops on request. The driver going away, even killed, ends this process too.
 */
export function serveOverIpc(start: () => Promise<ServedApp>): void {
  const run = async (): Promise<void> => {
    const { app, cleanup } = await start();
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    process.on('message', (message: ToServer) => {
      if (message.type === 'memory') {
        const gc = (globalThis as { gc?: () => void }).gc;
        if (message.gc && gc) gc();
        send({ type: 'memory', usage: process.memoryUsage() });
      } else if (message.type === 'stop') {
        void app
          .close()
          .then(cleanup)
          .finally(() => process.exit(0));
      }
    });
    process.on('disconnect', () => process.exit(0));
    send({ type: 'ready', port });
  };
  run().catch((error: unknown) => {
    send({
      type: 'failed',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  });
}
